import { ArnFormat, Duration, Stack } from 'aws-cdk-lib';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import type { IQueue, Queue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { ENV, rpcQueueEnv } from '../functions/shared/env-names.js';
import { replyQueuePrefix } from '../functions/shared/rpc/transport.js';
import { output } from './outputs.js';
import { grantSend, MAX_RECEIVE_COUNT, queueWithDlq } from './queues.js';
import type { ServiceFunction } from './service-function.js';
import { outputName } from './stack-outputs.js';

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

/** The visibility timeout of a queue whose consumer times out after `timeout`. */
export const visibilityFor = (timeout: Duration) =>
  Duration.seconds(timeout.toSeconds() * VISIBILITY_PER_FUNCTION_TIMEOUT);

/**
 * What every RPC service and caller shares, made once per stack when a
 * declaration serves or calls RPC: the reply-queue prefix, each served
 * contract's request queue ({@link RpcEndpoint}), the grants of callers and
 * of queues that accept replies, and the janitor that deletes the reply
 * queues of execution environments that went away (its function is
 * declared in functions/rpc-janitor and deployed with the others).
 */
export class RpcMachinery extends Construct {
  private readonly endpoints = new Map<string, RpcEndpoint>();
  private readonly callers = new WeakSet<ServiceFunction>();
  private readonly replyTargets: Array<{ service: string; queue: IQueue }> = [];

  /** Serves `service`'s contract on a request queue (made in `scope`) consumed by `server`. */
  serve(scope: Construct, service: string, server: ServiceFunction): RpcEndpoint {
    if (this.endpoints.has(service)) throw new Error(`two functions serve the ${service} contract`);
    const endpoint = new RpcEndpoint(scope, `${service}-rpc`, {
      service,
      server,
      replyQueues: replyQueues(this),
    });
    this.endpoints.set(service, endpoint);
    for (const target of this.replyTargets.filter((t) => t.service === service))
      grantSend(target.queue, server.fn);
    return endpoint;
  }

  /** Lets the server of `service` send replies to `queue` (commands sent with it as `replyTo`). */
  acceptRepliesFrom(service: string, queue: IQueue): void {
    this.replyTargets.push({ service, queue });
    const endpoint = this.endpoints.get(service);
    if (endpoint) grantSend(queue, endpoint.server.fn);
  }

  /** Lets `caller` call `service`: send requests, and own a reply queue. Every endpoint must exist by now. */
  allowCalls(caller: ServiceFunction, service: string): void {
    const endpoint = this.endpoints.get(service);
    if (!endpoint) throw new Error(`${caller.node.id} calls ${service}, which no deployed service serves`);
    grantSend(endpoint.queue, caller.fn);
    caller.setEnv(rpcQueueEnv(service), endpoint.queue.queueUrl);
    if (this.callers.has(caller)) return;
    this.callers.add(caller);
    caller.setEnv(ENV.rpcReplyQueuePrefix, prefixOf(this));
    caller.fn.addToRolePolicy(
      new PolicyStatement({
        actions: ['sqs:CreateQueue', 'sqs:TagQueue', 'sqs:ReceiveMessage', 'sqs:DeleteMessage'],
        resources: [replyQueues(this)],
      }),
    );
  }

  /** Lets the janitor find and delete this stack's reply queues, and nothing else. */
  janitor(fn: ServiceFunction): void {
    fn.setEnv(ENV.rpcReplyQueuePrefix, prefixOf(this));
    fn.fn.addToRolePolicy(new PolicyStatement({ actions: ['sqs:ListQueues'], resources: ['*'] }));
    fn.fn.addToRolePolicy(
      new PolicyStatement({
        actions: ['sqs:ListQueueTags', 'sqs:DeleteQueue'],
        resources: [replyQueues(this)],
      }),
    );
  }
}

export interface RpcEndpointProps {
  service: string;
  /** The function serving the service's RPC methods (an `rpcServer` handler). */
  server: ServiceFunction;
  /** ARN pattern of the stack's reply queues, which the server answers on. */
  replyQueues: string;
}

/**
 * A service's RPC request queue (with its DLQ), consumed by the service's
 * RPC function with partial batch failures.
 */
export class RpcEndpoint extends Construct {
  readonly queue: Queue;
  readonly deadLetterQueue: Queue;
  /** The service whose requests it carries. */
  readonly service: string;
  readonly server: ServiceFunction;

  constructor(scope: Construct, id: string, { service, server, replyQueues }: RpcEndpointProps) {
    super(scope, id);
    this.service = service;
    this.server = server;
    // Visibility 6x the function timeout (a batch retried while a slow one still runs would run twice),
    // and enough receives that throttling alone does not dead-letter a valid request. A caller still
    // waits seconds: the server drops work past its deadline. Unreadable messages go to the DLQ at once.
    const { queue, deadLetterQueue } = queueWithDlq(
      this,
      `${service}-rpc-requests`,
      visibilityFor(server.fn.timeout ?? Duration.seconds(10)),
      MAX_RECEIVE_COUNT,
    );
    this.queue = queue;
    this.deadLetterQueue = deadLetterQueue;
    grantSend(deadLetterQueue, server.fn);
    server.setEnv(ENV.rpcDeadLetterQueueUrl, deadLetterQueue.queueUrl);
    server.fn.addEventSource(new SqsEventSource(queue, { batchSize: 10, reportBatchItemFailures: true }));
    server.fn.addToRolePolicy(
      new PolicyStatement({ actions: ['sqs:SendMessage'], resources: [replyQueues] }),
    );
    output(this, outputName.rpcQueue(service), queue.queueUrl);
    output(this, outputName.rpcDeadLetterQueue(service), deadLetterQueue.queueUrl);
  }
}
