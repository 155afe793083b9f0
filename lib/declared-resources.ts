/**
 * The resources a service declaration names, one at a time: a table, a
 * function with its grants. `deployService` builds whole services from them;
 * constructs with their own layout (log feed, live feed, janitor) use them directly.
 */
import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import { AttributeType, BillingMode, ProjectionType, Table } from 'aws-cdk-lib/aws-dynamodb';
import type { Construct } from 'constructs';
import { type AnyService, actionsOf, type TableDeclaration, tableEnv } from '../functions/shared/service.js';
import { ServiceFunction } from './service-function.js';

/**
 * What a declared function's place in the log feed needs of the feed (the
 * `LogFeed` construct, which builds its own functions from here too).
 */
export interface LogFeedLinks {
  /** Permission to publish, and the function's errors forwarded. */
  connect(target: ServiceFunction): void;
  /** The function's ERROR log lines forwarded into the feed. */
  forwardErrorsFrom(target: ServiceFunction): void;
}

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

/**
 * A declared function: its bundle and settings, least-privilege access to
 * the tables it declares (each grant with the env variable naming the table),
 * its constant environment, and its place in the log feed.
 */
export function declaredFunction(
  scope: Construct,
  id: string,
  service: AnyService,
  bundle: string,
  { tables = {}, logFeed }: { tables?: Readonly<Record<string, Table>>; logFeed: LogFeedLinks },
): ServiceFunction {
  const declaration = service.functions[bundle];
  if (!declaration) throw new Error(`service ${service.name} declares no function "${bundle}"`);
  const fn = new ServiceFunction(scope, id, {
    service: service.name,
    bundle,
    entry: declaration.entry,
    description: declaration.description,
    ...(declaration.timeoutSeconds ? { timeout: Duration.seconds(declaration.timeoutSeconds) } : {}),
    ...(declaration.memoryMb ? { memorySize: declaration.memoryMb } : {}),
  });
  for (const [name, access] of Object.entries(declaration.tables ?? {})) {
    const table = tables[name];
    if (!table || !access)
      throw new Error(`${bundle} uses table "${name}", which ${service.name} does not have`);
    table.grant(fn.fn, ...actionsOf(access).map((action) => `dynamodb:${action}`));
    fn.setEnv(tableEnv(service.name, name), table.tableName);
  }
  for (const [name, value] of Object.entries(declaration.environment ?? {})) fn.setEnv(name, value);
  const use = declaration.logFeed ?? 'errors';
  if (use === 'publish') logFeed.connect(fn);
  else if (use === 'errors') logFeed.forwardErrorsFrom(fn);
  return fn;
}
