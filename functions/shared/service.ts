/**
 * A service, declared in one place: its routes, its functions' entry points,
 * its tables and its RPC methods. Plain data, no aws-cdk-lib: the stack
 * (lib/declared-service.ts), the bundler (lib/bundles/), the API
 * document (functions/docs) and the tests all read the same declaration, and
 * a function may import its own cheaply (see {@link readTables}).
 */
import { readEnv } from './env.js';
import type { RouteTable } from './http/route.js';
import type { ServiceContract } from './rpc/contract.js';

/** The DynamoDB actions a function may be granted on a table (`dynamodb:<action>`). */
export type DynamoAction =
  | 'GetItem'
  | 'BatchGetItem'
  | 'Query'
  | 'Scan'
  | 'PutItem'
  | 'UpdateItem'
  | 'DeleteItem'
  | 'BatchWriteItem';

/** Named access levels; a function may instead list exactly the actions it needs. */
export const TABLE_ACCESS = {
  read: ['GetItem', 'BatchGetItem', 'Query', 'Scan'],
  readWrite: [
    'GetItem',
    'BatchGetItem',
    'Query',
    'Scan',
    'PutItem',
    'UpdateItem',
    'DeleteItem',
    'BatchWriteItem',
  ],
} as const satisfies Record<string, readonly DynamoAction[]>;

/** What a function may do with one table: an access level, or its exact list of actions (least privilege). */
export type TableAccess = keyof typeof TABLE_ACCESS | readonly DynamoAction[];

/** A DynamoDB table (on-demand billing; every key attribute a string). */
export interface TableDeclaration {
  partitionKey: string;
  sortKey?: string;
  /** Local secondary indexes by name: same partition key, another sort key, every attribute projected. */
  localIndexes?: Readonly<Record<string, { sortKey: string }>>;
  /** Global secondary indexes by name, every attribute projected. */
  globalIndexes?: Readonly<Record<string, { partitionKey: string; sortKey?: string }>>;
  /** Attribute holding the epoch second an item expires at. */
  timeToLiveAttribute?: string;
}

/**
 * What a function does with the log feed: `publish` (it publishes events;
 * errors forwarded too), `errors` (only its ERROR log lines are forwarded
 * into the feed, the default) or `none` (it consumes the feed itself, so
 * forwarding its errors would loop).
 */
export type LogFeedUse = 'publish' | 'errors' | 'none';

/**
 * Files built from other sources at build time and served by a function (a
 * browser app), by the name of their builder. A declaration only names one:
 * lib/bundles/generated-files.ts maps each name to the build that makes the
 * files, and the type checker requires a builder for every name here.
 */
export type GeneratedFilesName = 'console-app';

/** One Lambda function of a service; its key in `functions` names its bundle. */
export interface FunctionDeclaration<Table extends string = string, Route extends string = string> {
  /** Handler file relative to `functions/`, exporting `handler`. */
  entry: `${string}.ts`;
  description: string;
  /** Defaults to 10 s. */
  timeoutSeconds?: number;
  /** Defaults to 256 MB. */
  memoryMb?: number;
  /** The service's routes this function serves, by name, or all of them. */
  routes?: 'all' | readonly Route[];
  /** The service's tables this function may use; each also gets the env variable naming it. */
  tables?: { readonly [T in Table]?: TableAccess };
  /** Defaults to `errors`. */
  logFeed?: LogFeedUse;
  /** Services this function calls over RPC, by their contracts. */
  calls?: readonly ServiceContract[];
  /** Constant environment variables (not resource names: those come with their grants). */
  environment?: Readonly<Record<string, string>>;
  /**
   * Files it reads at run time from LAMBDA_TASK_ROOT, as paths relative to the
   * project: each is put at the root of its code package, under its own name.
   */
  files?: readonly string[];
  /** Files built for it from other sources, put at the root of its code package. */
  generatedFiles?: GeneratedFilesName;
}

export interface ServiceDeclaration<
  Routes extends RouteTable = RouteTable,
  Tables extends Readonly<Record<string, TableDeclaration>> = Readonly<Record<string, TableDeclaration>>,
  Functions extends Readonly<Record<string, FunctionDeclaration<string, string>>> = Readonly<
    Record<string, FunctionDeclaration<string, string>>
  >,
> {
  /** POWERTOOLS_SERVICE_NAME of its functions, its tag in the API document, part of its table env names. */
  name: string;
  routes?: Routes;
  tables?: Tables;
  /** By bundle name (unique across services). */
  functions: Functions;
  /** The RPC methods it serves, and which of its functions serves them. */
  rpc?: { contract: ServiceContract; server: keyof Functions & string };
  /** Deployed only with `-c bench=true` (`npm run bench`), and left out of the API document. */
  benchOnly?: boolean;
}

/** Any service declaration, as the registry holds them. */
export type AnyService = ServiceDeclaration;

/** A declaration as {@link defineService} returns it: routes and tables always present (maybe empty). */
export type DefinedService<
  Routes extends RouteTable,
  Tables extends Readonly<Record<string, TableDeclaration>>,
  Functions extends Readonly<Record<string, FunctionDeclaration<string, string>>>,
> = ServiceDeclaration<Routes, Tables, Functions> & { routes: Routes; tables: Tables };

/**
 * Declares a service, checking that each function names only the service's
 * own routes and tables, and keeping every literal type.
 */
export function defineService<
  const Routes extends RouteTable = Record<never, never>,
  const Tables extends Readonly<Record<string, TableDeclaration>> = Record<never, never>,
  const Functions extends Readonly<
    Record<string, FunctionDeclaration<Extract<keyof Tables, string>, Extract<keyof Routes, string>>>
  > = Record<never, never>,
>(declaration: ServiceDeclaration<Routes, Tables, Functions>): DefinedService<Routes, Tables, Functions> {
  return {
    ...declaration,
    routes: declaration.routes ?? ({} as Routes),
    tables: declaration.tables ?? ({} as Tables),
  };
}

/** The env variable naming a service's table: `<SERVICE>_TABLE` for its namesake table, else `<SERVICE>_<TABLE>_TABLE`. */
export function tableEnv(service: string, table: string): string {
  const upper = (name: string) => name.replaceAll('-', '_').toUpperCase();
  return service === table ? `${upper(service)}_TABLE` : `${upper(service)}_${upper(table)}_TABLE`;
}

/**
 * The names of all of a service's tables, read from the environment at cold
 * start (failing fast, naming every missing variable): `readTables(tasksService).tasks`.
 * A function declaring access to only some of them reads those with `tableEnv`.
 */
export function readTables<const D extends ServiceDeclaration>(
  service: D,
  source: NodeJS.ProcessEnv = process.env,
): { readonly [T in keyof NonNullable<D['tables']>]: string } {
  const keys = Object.keys(service.tables ?? {});
  const env: Readonly<Record<string, string>> = readEnv(
    keys.map((key) => tableEnv(service.name, key)),
    source,
  );
  return Object.fromEntries(keys.map((key) => [key, env[tableEnv(service.name, key)]])) as {
    [T in keyof NonNullable<D['tables']>]: string;
  };
}

/** The routes a function serves, picked from its service's table. */
export function routesOf(service: AnyService, fn: FunctionDeclaration): RouteTable {
  const routes = service.routes ?? {};
  if (fn.routes === 'all') return routes;
  return Object.fromEntries((fn.routes ?? []).map((name) => [name, routes[name]]).filter(([, r]) => r));
}

/** The actions an access level or list stands for. */
export const actionsOf = (access: TableAccess): readonly DynamoAction[] =>
  typeof access === 'string' ? TABLE_ACCESS[access] : access;
