import { ArnFormat, Duration, Stack } from 'aws-cdk-lib';
import { Rule, Schedule } from 'aws-cdk-lib/aws-events';
import { LambdaFunction } from 'aws-cdk-lib/aws-events-targets';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import type { Queue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { rpcJanitorService } from '../functions/rpc-janitor/service.js';
import { ENV, rpcQueueEnv } from '../functions/shared/env-names.js';
import { replyQueuePrefix } from '../functions/shared/rpc/transport.js';
import { declaredFunction } from './declared-resources.js';
import type { LogFeed } from './log-feed.js';
import { grantSend, MAX_RECEIVE_COUNT, queueWithDlq } from './queues.js';
import type { ServiceFunction } from './service-function.js';

/** Prefix of this stack's reply queue names: its janitor and grants never reach another stack's. */
const prefixOf = (scope: Construct) => replyQueuePrefix(Stack.of(scope).stackName);

/** ARN pattern of every execution environment's reply queue, in this stack. */
function replyQueues(scope: Construct): string {
  return Stack.of(scope).formatArn({
    service: 'sqs',
    resource: `${prefixOf(scope)}*`,
    arnFormat: ArnFormat.NO_RESOURCE_NAME,
  });
}

/** AWS's advice for an SQS event source: a visibility timeout of six times the function timeout. */
const VISIBILITY_PER_FUNCTION_TIMEOUT = 6;

/** The visibility timeout of a queue consumed by `consumer`. */
export const visibilityFor = (consumer: ServiceFunction) =>
  Duration.seconds(
    (consumer.fn.timeout ?? Duration.seconds(10)).toSeconds() * VISIBILITY_PER_FUNCTION_TIMEOUT,
  );

const callers = new WeakSet<ServiceFunction>();

/**
 * Every few minutes, deletes the reply queues of execution environments that
 * went away (see functions/rpc-janitor). One per stack.
 */
export class ReplyQueueJanitor extends Construct {
  readonly function: ServiceFunction;

  constructor(scope: Construct, id: string, { logFeed }: { logFeed: LogFeed }) {
    super(scope, id);
    this.function = declaredFunction(this, 'rpc-janitor', rpcJanitorService, 'rpc-janitor', { logFeed });
    this.function.setEnv(ENV.rpcReplyQueuePrefix, prefixOf(this));
    this.function.fn.addToRolePolicy(new PolicyStatement({ actions: ['sqs:ListQueues'], resources: ['*'] }));
    this.function.fn.addToRolePolicy(
      new PolicyStatement({
        actions: ['sqs:ListQueueTags', 'sqs:DeleteQueue'],
        resources: [replyQueues(this)],
      }),
    );
    new Rule(this, 'every-5-minutes', {
      schedule: Schedule.rate(Duration.minutes(5)),
      targets: [new LambdaFunction(this.function.fn)],
    });
  }
}

export interface RpcEndpointProps {
  service: string;
  /** The function serving the service's RPC methods (an `rpcServer` handler). */
  server: ServiceFunction;
}

/**
 * A service's RPC request queue (with its DLQ), consumed by the service's
 * function with partial batch failures; callers are granted one by one.
 */
export class RpcEndpoint extends Construct {
  readonly queue: Queue;
  readonly deadLetterQueue: Queue;
  /** The service whose requests it carries. */
  readonly service: string;

  constructor(scope: Construct, id: string, { service, server }: RpcEndpointProps) {
    super(scope, id);
    this.service = service;
    // Visibility 6x the function timeout (a batch retried while a slow one still runs would run twice),
    // and enough receives that throttling alone does not dead-letter a valid request. A caller still
    // waits seconds: the server drops work past its deadline. Unreadable messages go to the DLQ at once.
    const { queue, deadLetterQueue } = queueWithDlq(
      this,
      `${service}-rpc-requests`,
      visibilityFor(server),
      MAX_RECEIVE_COUNT,
    );
    this.queue = queue;
    this.deadLetterQueue = deadLetterQueue;
    grantSend(deadLetterQueue, server.fn);
    server.setEnv(ENV.rpcDeadLetterQueueUrl, deadLetterQueue.queueUrl);
    server.fn.addEventSource(new SqsEventSource(queue, { batchSize: 10, reportBatchItemFailures: true }));
    server.fn.addToRolePolicy(
      new PolicyStatement({ actions: ['sqs:SendMessage'], resources: [replyQueues(this)] }),
    );
  }

  /** Lets `caller` call this service: send requests, and own a reply queue. */
  allowCallsFrom(caller: ServiceFunction): void {
    grantSend(this.queue, caller.fn);
    caller.setEnv(rpcQueueEnv(this.service), this.queue.queueUrl);
    if (callers.has(caller)) return;
    callers.add(caller);
    caller.setEnv(ENV.rpcReplyQueuePrefix, prefixOf(this));
    caller.fn.addToRolePolicy(
      new PolicyStatement({
        actions: ['sqs:CreateQueue', 'sqs:TagQueue', 'sqs:ReceiveMessage', 'sqs:DeleteMessage'],
        resources: [replyQueues(this)],
      }),
    );
  }
}
