import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import { AttributeType, BillingMode, ProjectionType, Table } from 'aws-cdk-lib/aws-dynamodb';
import { Construct } from 'constructs';
import {
  type AnyService,
  actionsOf,
  routesOf,
  type TableDeclaration,
  tableEnv,
} from '../functions/shared/service.js';
import type { HttpApi } from './http-api.js';
import type { LogFeed } from './log-feed.js';
import { ServiceFunction } from './service-function.js';

/** What every declared service is wired to. */
export interface DeclaredServiceProps {
  api: HttpApi;
  logFeed: LogFeed;
}

/** What a declared service became: its tables and functions, by their declared names. */
export interface DeployedService<D extends AnyService = AnyService> {
  declaration: D;
  tables: Readonly<Record<keyof NonNullable<D['tables']> & string, Table>>;
  functions: Readonly<Record<keyof D['functions'] & string, ServiceFunction>>;
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
  { tables = {}, logFeed }: { tables?: Readonly<Record<string, Table>>; logFeed: LogFeed },
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

/** A function's construct id: its bundle name without the service prefix (`auth-pre-sign-up` -> `pre-sign-up`). */
const functionId = (service: AnyService, bundle: string) =>
  bundle.startsWith(`${service.name}-`) ? bundle.slice(service.name.length + 1) : bundle;

/**
 * Everything a service declares, created in `scope`: its tables
 * (`<table>-table`), its functions, and its routes on the API, each route
 * wired to the one function that serves it.
 */
export function deployService<const D extends AnyService>(
  scope: Construct,
  service: D,
  { api, logFeed }: DeclaredServiceProps,
): DeployedService<D> {
  const tables = Object.fromEntries(
    Object.entries(service.tables ?? {}).map(([name, table]) => [
      name,
      declaredTable(scope, `${name}-table`, table),
    ]),
  );
  const functions = Object.fromEntries(
    Object.keys(service.functions).map((bundle) => [
      bundle,
      declaredFunction(scope, functionId(service, bundle), service, bundle, { tables, logFeed }),
    ]),
  );
  const servedBy = new Map<string, string>();
  for (const [bundle, declaration] of Object.entries(service.functions)) {
    const routes = routesOf(service, declaration);
    for (const name of Object.keys(routes)) {
      const other = servedBy.get(name);
      if (other) throw new Error(`route ${service.name}.${name} is served by both ${other} and ${bundle}`);
      servedBy.set(name, bundle);
    }
    const fn = functions[bundle];
    if (fn && Object.keys(routes).length > 0) api.addRoutes(routes, fn);
  }
  const unserved = Object.keys(service.routes ?? {}).filter((name) => !servedBy.has(name));
  if (unserved.length > 0) throw new Error(`no function of ${service.name} serves ${unserved.join(', ')}`);
  return { declaration: service, tables, functions } as DeployedService<D>;
}

/**
 * A service that needs nothing beyond its declaration: tables, functions,
 * grants with their env variables, log feed and routes, all from
 * `functions/<service>/service.ts`.
 */
export class DeclaredService extends Construct implements DeployedService {
  readonly declaration: AnyService;
  readonly tables: Readonly<Record<string, Table>>;
  readonly functions: Readonly<Record<string, ServiceFunction>>;

  constructor(scope: Construct, id: string, service: AnyService, props: DeclaredServiceProps) {
    super(scope, id);
    ({
      declaration: this.declaration,
      tables: this.tables,
      functions: this.functions,
    } = deployService(this, service, props));
  }
}
