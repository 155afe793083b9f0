import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import { FilterPattern, LogGroup, RetentionDays, SubscriptionFilter } from 'aws-cdk-lib/aws-logs';
import { LambdaDestination } from 'aws-cdk-lib/aws-logs-destinations';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { SqsSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import type { Queue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { logFeedService } from '../functions/log-feed/service.js';
import { ENV } from '../functions/shared/env-names.js';
import { declaredFunction, type LogFeedLinks } from './declared-resources.js';
import { queueWithDlq } from './queues.js';
import type { ServiceFunction } from './service-function.js';

/**
 * The log feed: a message published once reaches every subscriber, durably.
 * One SNS topic fans out to an archive queue that keeps every message, and to
 * a subscriber that writes each message as a line to a log group (one
 * `subscriber.log` for the whole app). Service functions publish to it and
 * have their ERROR log lines forwarded into it.
 */
export class LogFeed extends Construct implements LogFeedLinks {
  readonly topic: Topic;
  readonly archive: Queue;
  readonly archiveDlq: Queue;
  readonly subscriberLogGroup: LogGroup;
  private readonly errorForwarder: ServiceFunction;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    this.topic = new Topic(this, 'log-feed-topic', { enforceSSL: true });

    const archive = queueWithDlq(this, 'log-feed-archive');
    this.archive = archive.queue;
    this.archiveDlq = archive.deadLetterQueue;
    this.topic.addSubscription(new SqsSubscription(this.archive, { rawMessageDelivery: true }));

    this.subscriberLogGroup = new LogGroup(this, 'log-feed-subscriber-lines', {
      retention: RetentionDays.ONE_MONTH,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    const subscriber = declaredFunction(this, 'log-feed-subscriber', logFeedService, 'log-feed-subscriber', {
      logFeed: this,
    });
    this.subscriberLogGroup.grantWrite(subscriber.fn);
    subscriber.setEnv(ENV.subscriberLogGroup, this.subscriberLogGroup.logGroupName);
    this.feedInBatches(this, 'log-feed-subscriber-queue', subscriber);

    this.errorForwarder = declaredFunction(
      this,
      'log-feed-error-forwarder',
      logFeedService,
      'log-feed-error-forwarder',
      { logFeed: this },
    );
    this.grantPublish(this.errorForwarder);
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

  /** Lets a function publish to the feed and tells it where. */
  grantPublish(target: ServiceFunction): void {
    this.topic.grantPublish(target.fn);
    target.setEnv(ENV.logFeedTopicArn, this.topic.topicArn);
  }

  /** Forwards the function's ERROR log lines into the feed through a subscription filter. */
  forwardErrorsFrom(target: ServiceFunction): void {
    new SubscriptionFilter(target, 'forward-errors-to-log-feed', {
      logGroup: target.logGroup,
      destination: new LambdaDestination(this.errorForwarder.fn),
      filterPattern: FilterPattern.anyTerm('ERROR'),
    });
  }

  /** What every service function gets: permission to publish, and its errors forwarded. */
  connect(target: ServiceFunction): void {
    this.grantPublish(target);
    this.forwardErrorsFrom(target);
  }
}
