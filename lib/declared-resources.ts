/**
 * The resources a service declaration names, one at a time: a table, a
 * function with its grants. `DeclaredService` builds whole services from them.
 */
import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import { AttributeType, BillingMode, ProjectionType, Table } from 'aws-cdk-lib/aws-dynamodb';
import type { LogGroup } from 'aws-cdk-lib/aws-logs';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import { ENV } from '../functions/shared/env-names.js';
import { COUNT_AWS_REQUESTS } from '../functions/shared/request-counting.js';
import { RPC_CALLER_TIMEOUT_SECONDS } from '../functions/shared/rpc/client.js';
import {
  type AnyService,
  actionsOf,
  logGroupEnv,
  queueEnv,
  type TableDeclaration,
  tableEnv,
} from '../functions/shared/service.js';
import type { SharedResources } from './declared-service.js';
import { grantSend } from './queues.js';
import { ServiceFunction } from './service-function.js';
import { allowReadingStackLogs } from './stack-logs-reading.js';

const stringKey = (name: string) => ({ name, type: AttributeType.STRING });

/** A declared table: on-demand, removed with the stack, its indexes projecting every attribute. */
export function declaredTable(scope: Construct, id: string, table: TableDeclaration): Table {
  const created = new Table(scope, id, {
    partitionKey: stringKey(table.partitionKey),
    ...(table.sortKey ? { sortKey: stringKey(table.sortKey) } : {}),
    billingMode: BillingMode.PAY_PER_REQUEST,
    ...(table.timeToLiveAttribute ? { timeToLiveAttribute: table.timeToLiveAttribute } : {}),
    removalPolicy: RemovalPolicy.DESTROY,
  });
  for (const [indexName, index] of Object.entries(table.localIndexes ?? {})) {
    created.addLocalSecondaryIndex({
      indexName,
      sortKey: stringKey(index.sortKey),
      projectionType: ProjectionType.ALL,
    });
  }
  for (const [indexName, index] of Object.entries(table.globalIndexes ?? {})) {
    created.addGlobalSecondaryIndex({
      indexName,
      partitionKey: stringKey(index.partitionKey),
      ...(index.sortKey ? { sortKey: stringKey(index.sortKey) } : {}),
    });
  }
  return created;
}

/** The service's own resources a function may be granted. */
export interface ServiceResources {
  tables: Readonly<Record<string, Table>>;
  queues: Readonly<Record<string, IQueue>>;
  logGroups: Readonly<Record<string, LogGroup>>;
}

/**
 * A declared function: its bundle and settings, and every right its
 * declaration names, each granted with the env variable naming what it is
 * for (least privilege): its tables (exact actions), the queues it sends to,
 * the log groups it writes, the user pool, the WebSocket API, its place in
 * the log feed, the secret of list cursors, the stack's logs, and its constant environment. Its event source is wired by
 * `DeclaredService`.
 */
export function declaredFunction(
  scope: Construct,
  id: string,
  service: AnyService,
  bundle: string,
  own: ServiceResources,
  shared: SharedResources,
): ServiceFunction {
  const declaration = service.functions[bundle];
  if (!declaration) throw new Error(`service ${service.name} declares no function "${bundle}"`);
  const missing = (kind: string, name: string) =>
    new Error(`${bundle} uses ${kind} "${name}", which ${service.name} does not declare`);
  // A function that calls another service outlives its call's deadline (a silent service is a 504).
  const timeoutSeconds =
    declaration.timeoutSeconds ?? (declaration.calls?.length ? RPC_CALLER_TIMEOUT_SECONDS : undefined);
  const fn = new ServiceFunction(scope, id, {
    service: service.name,
    bundle,
    entry: declaration.entry,
    description: declaration.description,
    ...(timeoutSeconds ? { timeout: Duration.seconds(timeoutSeconds) } : {}),
    ...(declaration.memoryMb ? { memorySize: declaration.memoryMb } : {}),
  });
  for (const [name, access] of Object.entries(declaration.tables ?? {})) {
    const table = own.tables[name];
    if (!table || !access) throw missing('table', name);
    table.grant(fn.fn, ...actionsOf(access).map((action) => `dynamodb:${action}`));
    fn.setEnv(tableEnv(service.name, name), table.tableName);
  }
  for (const name of declaration.sends ?? []) {
    const queue = own.queues[name];
    if (!queue) throw missing('queue', name);
    grantSend(queue, fn.fn);
    fn.setEnv(queueEnv(service.name, name), queue.queueUrl);
  }
  for (const name of declaration.logGroups ?? []) {
    const group = own.logGroups[name];
    if (!group) throw missing('log group', name);
    group.grantWrite(fn.fn);
    fn.setEnv(logGroupEnv(service.name, name), group.logGroupName);
  }
  if (declaration.userPool) shared.identity.grant(fn, declaration.userPool);
  if (declaration.webSocketApi) {
    const api = shared.webSocket;
    if (!api) throw new Error(`${bundle} uses the WebSocket API, but no function declares WebSocket routes`);
    if (declaration.webSocketApi === 'deliver') api.allowDelivering(fn);
    else api.locate(fn);
  }
  if (declaration.listCursors) {
    if (!shared.listCursors)
      throw new Error(`${bundle} pages lists, but the stack has no list cursor secret`);
    shared.listCursors.give(fn);
  }
  if (declaration.rpcReplyQueues === 'delete') {
    if (!shared.rpc) throw new Error(`${bundle} cleans up RPC reply queues, but nothing serves or calls RPC`);
    shared.rpc.janitor(fn);
  }
  if (declaration.dashboard === 'read') shared.dashboard.allowReading(fn);
  if (declaration.stackLogs === 'read') allowReadingStackLogs(fn);
  if (declaration.faultPoints && shared.faults) fn.setEnv(ENV.faultInjection, 'none');
  if (shared.countRequests) fn.setEnv(COUNT_AWS_REQUESTS, 'true');
  for (const [name, value] of Object.entries(declaration.environment ?? {})) fn.setEnv(name, value);
  shared.logFeed.connect(fn, declaration.logFeed ?? 'errors');
  return fn;
}
