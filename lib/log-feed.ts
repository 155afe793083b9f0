import { Duration } from 'aws-cdk-lib';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import { FilterPattern, SubscriptionFilter } from 'aws-cdk-lib/aws-logs';
import { LambdaDestination } from 'aws-cdk-lib/aws-logs-destinations';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { SqsSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import type { Queue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { ENV } from '../functions/shared/env-names.js';
import type { LogFeedUse } from '../functions/shared/service.js';
import { output } from './outputs.js';
import { queueWithDlq } from './queues.js';
import type { ServiceFunction } from './service-function.js';
import { OUTPUT } from './stack-outputs.js';

/**
 * The log feed: a message published once reaches every subscriber, durably.
 * One SNS topic fans out to an archive queue that keeps every message, and to
 * the functions declared with `trigger: { logFeed: true }`, each through a
 * queue of its own. Functions publish to it (`logFeed: 'publish'`) and have
 * their ERROR log lines forwarded into it by the function declared with
 * `trigger: { errorLines: true }`.
 */
export class LogFeed extends Construct {
  readonly topic: Topic;
  readonly archive: Queue;
  readonly archiveDlq: Queue;
  private forwarder?: ServiceFunction;
  private readonly waiting: ServiceFunction[] = [];

  constructor(scope: Construct, id: string) {
    super(scope, id);
    this.topic = new Topic(this, 'log-feed-topic', { enforceSSL: true });

    const archive = queueWithDlq(this, 'log-feed-archive');
    this.archive = archive.queue;
    this.archiveDlq = archive.deadLetterQueue;
    this.topic.addSubscription(new SqsSubscription(this.archive, { rawMessageDelivery: true }));

    output(this, OUTPUT.logFeedTopicArn, this.topic.topicArn);
    output(this, OUTPUT.logFeedArchiveQueueUrl, this.archive.queueUrl);
    output(this, OUTPUT.logFeedArchiveDlqUrl, this.archiveDlq.queueUrl);
    this.node.addValidation({
      validate: () =>
        this.waiting.length > 0
          ? [
              'functions forward their ERROR lines, but no function is declared with trigger { errorLines: true }',
            ]
          : [],
    });
  }

  /** Connects a function as its declaration says: it may publish, and its ERROR lines are forwarded. */
  connect(target: ServiceFunction, use: LogFeedUse): void {
    if (use === 'publish' || use === 'publish-only') this.grantPublish(target);
    if (use === 'publish' || use === 'errors') this.forwardErrorsFrom(target);
  }

  /**
   * Subscribes a function to the feed through its own queue (with a DLQ), so it
   * gets messages in batches of up to 10 instead of one invocation per message:
   * a burst of publishes costs a tenth of the invocations, and Publish never
   * waits on a subscriber. The queue is made in `scope`, beside the function.
   */
  feedInBatches(scope: Construct, id: string, consumer: ServiceFunction): Queue {
    const { queue } = queueWithDlq(scope, id, Duration.seconds(60));
    this.topic.addSubscription(new SqsSubscription(queue, { rawMessageDelivery: true }));
    consumer.fn.addEventSource(
      new SqsEventSource(queue, {
        batchSize: 10,
        // Two pollers keep up with the feed; more would only split it into smaller, costlier batches.
        maxConcurrency: 2,
        reportBatchItemFailures: true,
      }),
    );
    return queue;
  }

  /** Makes `forwarder` the destination of every function's ERROR lines; one per feed. */
  forwardErrorsWith(forwarder: ServiceFunction): void {
    if (this.forwarder) throw new Error('the log feed already has its error forwarder');
    this.forwarder = forwarder;
    for (const target of this.waiting.splice(0)) this.forwardErrorsFrom(target);
  }

  /** Lets a function publish to the feed and tells it where. */
  private grantPublish(target: ServiceFunction): void {
    this.topic.grantPublish(target.fn);
    target.setEnv(ENV.logFeedTopicArn, this.topic.topicArn);
  }

  /** Forwards the function's ERROR log lines into the feed through a subscription filter. */
  private forwardErrorsFrom(target: ServiceFunction): void {
    if (!this.forwarder) {
      this.waiting.push(target);
      return;
    }
    new SubscriptionFilter(target, 'forward-errors-to-log-feed', {
      logGroup: target.logGroup,
      destination: new LambdaDestination(this.forwarder.fn),
      filterPattern: FilterPattern.anyTerm('ERROR'),
    });
  }
}
