import type { Table } from 'aws-cdk-lib/aws-dynamodb';
import { Construct } from 'constructs';
import { type AnyService, routesOf } from '../functions/shared/service.js';
import { declaredFunction, declaredTable } from './declared-resources.js';
import type { HttpApi } from './http-api.js';
import type { LogFeed } from './log-feed.js';
import { RpcEndpoint } from './rpc-endpoint.js';
import type { ServiceFunction } from './service-function.js';

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
  /** The queue its RPC contract is served on, if it declares one. */
  endpoint?: RpcEndpoint;
}

/** A function's construct id: its bundle name without the service prefix (`auth-pre-sign-up` -> `pre-sign-up`). */
const functionId = (service: AnyService, bundle: string) =>
  bundle.startsWith(`${service.name}-`) ? bundle.slice(service.name.length + 1) : bundle;

/**
 * Everything a service declares, created in `scope`: its tables
 * (`<table>-table`), its functions, its routes on the API (each wired to the
 * one function that serves it) and the request queue of its RPC contract.
 * Callers are wired afterwards, once every endpoint exists ({@link allowDeclaredCalls}).
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
  const server = service.rpc && functions[service.rpc.server];
  if (service.rpc && !server) throw new Error(`${service.name} has no function ${service.rpc.server}`);
  const endpoint =
    service.rpc && server
      ? new RpcEndpoint(scope, `${service.rpc.contract.service}-rpc`, {
          service: service.rpc.contract.service,
          server,
        })
      : undefined;
  return { declaration: service, tables, functions, endpoint } as DeployedService<D>;
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
  readonly endpoint?: RpcEndpoint;

  constructor(scope: Construct, id: string, service: AnyService, props: DeclaredServiceProps) {
    super(scope, id);
    ({
      declaration: this.declaration,
      tables: this.tables,
      functions: this.functions,
      endpoint: this.endpoint,
    } = deployService(this, service, props));
  }
}

/**
 * Lets every function call the services its declaration `calls`: it may send
 * to their request queues, and is told their URLs.
 */
export function allowDeclaredCalls(services: readonly DeployedService[]): void {
  const endpoints = new Map(
    services.flatMap((s) => (s.endpoint ? [[s.endpoint.service, s.endpoint] as const] : [])),
  );
  for (const service of services) {
    for (const [bundle, fn] of Object.entries<ServiceFunction>(service.functions)) {
      for (const contract of service.declaration.functions[bundle]?.calls ?? []) {
        const endpoint = endpoints.get(contract.service);
        if (!endpoint)
          throw new Error(`${bundle} calls ${contract.service}, which no deployed service serves`);
        endpoint.allowCallsFrom(fn);
      }
    }
  }
}
