import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import type { Table } from 'aws-cdk-lib/aws-dynamodb';
import { Rule, Schedule } from 'aws-cdk-lib/aws-events';
import { LambdaFunction } from 'aws-cdk-lib/aws-events-targets';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { Queue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { IDEMPOTENCY_TABLE_NAME } from '../functions/shared/http/idempotency-table.js';
import {
  type AnyService,
  type FunctionDeclaration,
  routesOf,
  type Trigger,
} from '../functions/shared/service.js';
import type { StackAlarms } from './alarms.js';
import type { OperationsDashboard } from './dashboard.js';
import { declaredFunction, declaredTable } from './declared-resources.js';
import type { HttpApi } from './http-api.js';
import { allowIdempotency, idempotencyTable } from './idempotency-table.js';
import type { Identity } from './identity.js';
import type { ListCursorSecret } from './list-cursor-secret.js';
import type { LogFeed } from './log-feed.js';
import { output } from './outputs.js';
import { MAX_RECEIVE_COUNT, queueWithDlq } from './queues.js';
import { type RpcEndpoint, type RpcMachinery, visibilityFor } from './rpc.js';
import type { ServiceFunction } from './service-function.js';
import { outputName } from './stack-outputs.js';
import type { FeedWebSocketApi } from './web-socket-api.js';

/** What the stack shares with every declared service. */
export interface SharedResources {
  api: HttpApi;
  logFeed: LogFeed;
  identity: Identity;
  /** The stack's alarms and the topic of their state changes. */
  alarms: StackAlarms;
  /** Present when a declaration serves or calls RPC. */
  rpc?: RpcMachinery;
  /** Present when a declaration has WebSocket routes. */
  webSocket?: FeedWebSocketApi;
  /** Present when a declared function pages lists. */
  listCursors?: ListCursorSecret;
  /** The stack's dashboard, which functions declared with `dashboard: 'read'` may read. */
  dashboard: OperationsDashboard;
  /** Deployed for the fault tests (`-c faults=true`): functions with `faultPoints` may be told to crash. */
  faults: boolean;
  /** Deployed for the bench's cost and scale sections (`-c count=true`): every function logs the AWS requests it makes. */
  countRequests: boolean;
}

/** A function's construct id: its bundle name without the service prefix (`auth-pre-sign-up` -> `pre-sign-up`). */
const functionId = (service: AnyService, bundle: string) =>
  bundle.startsWith(`${service.name}-`) ? bundle.slice(service.name.length + 1) : bundle;

const isTrigger = <K extends string>(
  trigger: Trigger | undefined,
  kind: K,
): trigger is Extract<Trigger, Record<K, unknown>> => trigger !== undefined && kind in trigger;

/**
 * Everything a service declares, created in its own scope: its tables
 * (`<table>-table`, and `idempotency-table` when it serves state-changing
 * routes), queues (`<queue>-queue`, each with a DLQ), log groups,
 * functions with their grants, each function's one event source (HTTP
 * routes, the RPC request queue, its queue, a schedule, the log feed, the
 * ERROR lines of the others, WebSocket routes, an authorizer, a user-pool
 * trigger, the alarm topic), and an output for each resource under its derived name.
 * Callers are wired afterwards, once every endpoint exists ({@link allowDeclaredCalls}).
 */
export class DeclaredService extends Construct {
  readonly declaration: AnyService;
  readonly tables: Readonly<Record<string, Table>>;
  readonly queues: Readonly<Record<string, Queue>>;
  readonly functions: Readonly<Record<string, ServiceFunction>>;
  /** The queue its RPC contract is served on, if it declares one. */
  readonly endpoint?: RpcEndpoint;
  /** The queue through which each of its log-feed consumers gets the feed, by bundle. */
  readonly feedQueues: Readonly<Record<string, Queue>>;

  constructor(scope: Construct, id: string, service: AnyService, shared: SharedResources) {
    super(scope, id);
    this.declaration = service;
    const fns = Object.entries<FunctionDeclaration>(service.functions);

    // Its functions serving state-changing routes keep their Idempotency-Keys in a table of its own.
    const keys = idempotencyTable(this, service);
    this.tables = Object.fromEntries([
      ...Object.entries(service.tables ?? {}).map(([name, table]) => [
        name,
        declaredTable(this, `${name}-table`, table),
      ]),
      ...(keys ? [[IDEMPOTENCY_TABLE_NAME, keys]] : []),
    ]);
    for (const [name, table] of Object.entries(this.tables))
      output(this, outputName.table(service.name, name), table.tableName);
    const logGroups = Object.fromEntries(
      (service.logGroups ?? []).map((name) => {
        const group = new LogGroup(this, `${name}-log-group`, {
          retention: RetentionDays.ONE_MONTH,
          removalPolicy: RemovalPolicy.DESTROY,
        });
        output(this, outputName.logGroup(service.name, name), group.logGroupName);
        return [name, group];
      }),
    );
    // A queue's visibility follows its consumer's timeout, so the queue is made after its consumer's settings are known.
    const queues: Record<string, Queue> = {};
    for (const [name, queue] of Object.entries(service.queues ?? {})) {
      const consumers = fns.filter(([, fn]) => isTrigger(fn.trigger, 'queue') && fn.trigger.queue === name);
      const [consumer, ...others] = consumers;
      if (!consumer || others.length > 0)
        throw new Error(
          `queue ${service.name}.${name} needs exactly one consumer (trigger { queue: '${name}' })`,
        );
      const timeout = Duration.seconds(consumer[1].timeoutSeconds ?? 10);
      const created = queueWithDlq(this, `${name}-queue`, visibilityFor(timeout), MAX_RECEIVE_COUNT);
      queues[name] = created.queue;
      output(this, outputName.queue(service.name, name), created.queue.queueUrl);
      output(this, outputName.deadLetterQueue(service.name, name), created.deadLetterQueue.queueUrl);
      for (const contract of queue.repliesFrom ?? []) {
        if (!shared.rpc)
          throw new Error(`queue ${service.name}.${name} takes RPC replies, but nothing serves RPC`);
        shared.rpc.acceptRepliesFrom(contract.service, created.queue);
      }
    }
    this.queues = queues;

    const own = { tables: this.tables, queues, logGroups };
    this.functions = Object.fromEntries(
      fns.map(([bundle]) => {
        const fn = declaredFunction(this, functionId(service, bundle), service, bundle, own, shared);
        output(this, outputName.functionName(bundle), fn.fn.functionName);
        return [bundle, fn];
      }),
    );
    if (keys) allowIdempotency(service, keys, this.functions);

    let endpoint: RpcEndpoint | undefined;
    const feedQueues: Record<string, Queue> = {};
    for (const [bundle, declaration] of fns) {
      const fn = this.functions[bundle] as ServiceFunction;
      const routes = routesOf(service, declaration);
      if (Object.keys(routes).length > 0) shared.api.addRoutes(routes, fn);
      const trigger = declaration.trigger;
      if (isTrigger(trigger, 'rpc')) {
        if (!service.rpc || !shared.rpc)
          throw new Error(`${bundle} serves RPC, but ${service.name} has no contract`);
        endpoint = shared.rpc.serve(this, service.rpc.service, fn);
      } else if (isTrigger(trigger, 'queue')) {
        fn.fn.addEventSource(
          new SqsEventSource(queues[trigger.queue] as Queue, {
            batchSize: 10,
            reportBatchItemFailures: true,
          }),
        );
      } else if (isTrigger(trigger, 'schedule')) {
        new Rule(this, `${functionId(service, bundle)}-schedule`, {
          schedule: Schedule.rate(Duration.minutes(trigger.schedule.everyMinutes)),
          targets: [new LambdaFunction(fn.fn)],
        });
      } else if (isTrigger(trigger, 'logFeed')) {
        feedQueues[bundle] = shared.logFeed.feedInBatches(
          this,
          `${functionId(service, bundle)}-deliveries`,
          fn,
        );
      } else if (isTrigger(trigger, 'errorLines')) {
        shared.logFeed.forwardErrorsWith(fn);
      } else if (isTrigger(trigger, 'webSocket')) {
        requireWebSocket(shared, bundle).route(trigger.webSocket, fn);
      } else if (isTrigger(trigger, 'authorizer')) {
        if (trigger.authorizer === 'api') shared.api.authorizeWith(fn);
        else requireWebSocket(shared, bundle).authorizeWith(fn);
      } else if (isTrigger(trigger, 'userPool')) {
        shared.identity.trigger(trigger.userPool, fn);
      } else if (isTrigger(trigger, 'alarms')) {
        shared.alarms.notify(fn);
      }
    }
    this.endpoint = endpoint;
    this.feedQueues = feedQueues;
    if (service.rpc && !endpoint)
      throw new Error(`${service.name} declares a contract, but no function serves it`);
  }
}

function requireWebSocket(shared: SharedResources, bundle: string): FeedWebSocketApi {
  if (!shared.webSocket) throw new Error(`${bundle} needs the WebSocket API, which was not made`);
  return shared.webSocket;
}

/**
 * Lets every function call the services its declaration `calls`: it may send
 * to their request queues, and is told their URLs.
 */
export function allowDeclaredCalls(
  services: readonly DeclaredService[],
  rpc: RpcMachinery | undefined,
): void {
  for (const service of services) {
    for (const [bundle, fn] of Object.entries(service.functions)) {
      for (const contract of service.declaration.functions[bundle]?.calls ?? []) {
        if (!rpc) throw new Error(`${bundle} calls ${contract.service}, but the stack has no RPC`);
        rpc.allowCalls(fn, contract.service);
      }
    }
  }
}

/** True when a declaration serves or calls RPC: the stack then makes the RPC machinery. */
export const usesRpc = (service: AnyService) =>
  Boolean(service.rpc) || Object.values(service.functions).some((fn) => (fn.calls ?? []).length > 0);

/** True when a declared function pages lists: the stack then makes the secret their cursors are sealed with. */
export const usesListCursors = (service: AnyService) =>
  Object.values(service.functions).some((fn) => fn.listCursors === true);

/** True when a declaration routes WebSocket messages: the stack then makes the WebSocket API. */
export const usesWebSocket = (service: AnyService) =>
  Object.values(service.functions).some((fn) => isTrigger(fn.trigger, 'webSocket'));
