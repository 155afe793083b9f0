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
  | 'BatchWriteItem'
  /** A condition on an item inside a TransactWriteItems (it reads the item, writes nothing). */
  | 'ConditionCheckItem';

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
 * into the feed, the default), `none` (it consumes the feed itself, so
 * forwarding its errors would loop) or `publish-only` (it publishes, and is
 * itself what forwards errors).
 */
export type LogFeedUse = 'publish' | 'errors' | 'none' | 'publish-only';

/**
 * Files built from other sources at build time and served by a function (a
 * browser app), by the name of their builder. A declaration only names one:
 * lib/bundles/generated-files.ts maps each name to the build that makes the
 * files, and the type checker requires a builder for every name here.
 */
export type GeneratedFilesName = 'console-app';

/** A route of the live feed's WebSocket API. */
export type WebSocketRoute = '$connect' | '$disconnect' | '$default';

/**
 * The one event source of a function (its HTTP routes are declared with
 * `routes` instead). The stack creates and wires each from here:
 * - `rpc`: the request queue of the service's RPC contract;
 * - `queue`: one of the service's own queues;
 * - `schedule`: an EventBridge rule every so many minutes;
 * - `logFeed`: every log-feed message, in batches, through its own queue;
 * - `errorLines`: every other function's ERROR log lines (subscription filters);
 * - `webSocket`: routes of the WebSocket API;
 * - `authorizer`: the token authorizer of the REST API's signed-in routes, or of the WebSocket `$connect`;
 * - `userPool`: a trigger of the user pool;
 * - `alarms`: every state change (to ALARM and back to OK) of the stack's alarms, from their SNS topic.
 */
export type Trigger<Queue extends string = string> =
  | { rpc: true }
  | { queue: Queue }
  | { schedule: { everyMinutes: number } }
  | { logFeed: true }
  | { errorLines: true }
  | { webSocket: readonly WebSocketRoute[] }
  | { authorizer: 'api' | 'webSocket' }
  | { userPool: 'preSignUp' }
  | { alarms: true };

/** User-pool actions a function may be granted (with the pool and client ids in its env). */
export type UserPoolAction =
  | 'AdminListGroupsForUser'
  | 'AdminDeleteUser'
  | 'AdminCreateUser'
  | 'AdminSetUserPassword'
  | 'DescribeUserPoolClient'
  | 'ListUsers';

interface FunctionSettings<Table extends string, Queue extends string, LogGroup extends string> {
  /** Handler file relative to `functions/`, exporting `handler`. */
  entry: `${string}.ts`;
  description: string;
  /** Defaults to 10 s, or RPC_CALLER_TIMEOUT_SECONDS (15 s) for a function that `calls` another service. */
  timeoutSeconds?: number;
  /** Defaults to 256 MB. */
  memoryMb?: number;
  /** The service's tables this function may use; each also gets the env variable naming it. */
  tables?: { readonly [T in Table]?: TableAccess };
  /** The service's queues this function sends to; each also gets the env variable naming it. */
  sends?: readonly Queue[];
  /** The service's log groups this function writes lines to; each also gets the env variable naming it. */
  logGroups?: readonly LogGroup[];
  /** Defaults to `errors`. */
  logFeed?: LogFeedUse;
  /** Services this function calls over RPC, by their contracts. */
  calls?: readonly ServiceContract[];
  /** What it may do with the user pool; it is told the pool's and the app client's ids. */
  userPool?: readonly UserPoolAction[];
  /**
   * `deliver`: it posts to WebSocket connections and closes them (`@connections`
   * POST and DELETE); `locate`: it is told where browsers connect.
   */
  webSocketApi?: 'deliver' | 'locate';
  /** It serves pages of lists: it is given the deployment's secret that their cursors are sealed with. */
  listCursors?: boolean;
  /** It may list and delete this stack's RPC reply queues (the janitor of the RPC machinery). */
  rpcReplyQueues?: 'delete';
  /**
   * `read`: it reads the stack's dashboard (GetDashboard on it), the metrics
   * it shows (GetMetricData) and the stack's alarms (DescribeAlarms), and is
   * told the dashboard's name and the alarms' name prefix.
   */
  dashboard?: 'read';
  /**
   * `read`: it searches the stack's function log groups (FilterLogEvents on
   * `/microservices/<stack>/*`) for the spans of a trace, and is told their
   * names, its own and any other reader's left out (./trace/search.ts says why).
   */
  stackLogs?: 'read';
  /**
   * It runs every deployed service's health checks (functions/shared/health.ts): it may
   * describe each declared table and read each declared queue's attributes, nothing
   * more, and is told them all in `HEALTH_CHECKS`.
   */
  healthChecks?: boolean;
  /**
   * It may be told to crash at a saga checkpoint (`FAULT_INJECTION`), in a
   * deployment made with the `faults` context flag only (the e2e tests').
   */
  faultPoints?: boolean;
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

/**
 * One Lambda function of a service; its key in `functions` names its bundle.
 * It has exactly one event source: HTTP `routes` (some or all of the
 * service's), or one `trigger`.
 */
export type FunctionDeclaration<
  Table extends string = string,
  Route extends string = string,
  Queue extends string = string,
  LogGroup extends string = string,
> = FunctionSettings<Table, Queue, LogGroup> &
  (
    | {
        /** The service's routes this function serves, by name, or all of them. */ routes:
          | 'all'
          | readonly Route[];
        trigger?: never;
      }
    | { trigger: Trigger<Queue>; routes?: never }
  );

/** A queue of the service (with its dead-letter queue); its consumer is the function triggered by it. */
export interface QueueDeclaration {
  /** RPC services whose servers may send to it: replies to commands sent with it as `replyTo`. */
  repliesFrom?: readonly ServiceContract[];
}

type Declarations<T> = Readonly<Record<string, T>>;

export interface ServiceDeclaration<
  Routes extends RouteTable = RouteTable,
  Tables extends Declarations<TableDeclaration> = Declarations<TableDeclaration>,
  Functions extends Declarations<FunctionDeclaration> = Declarations<FunctionDeclaration>,
  Queues extends Declarations<QueueDeclaration> = Declarations<QueueDeclaration>,
> {
  /** POWERTOOLS_SERVICE_NAME of its functions, its tag in the API document, part of its resources' env names. */
  name: string;
  routes?: Routes;
  tables?: Tables;
  queues?: Queues;
  /** Log groups its functions write lines to (besides their own logs). */
  logGroups?: readonly string[];
  /** By bundle name (unique across services). */
  functions: Functions;
  /** The RPC methods it serves (its function triggered by `{ rpc: true }` serves them). */
  rpc?: ServiceContract;
  /** Deployed only with `-c bench=true` (`npm run bench`), and left out of the API document. */
  benchOnly?: boolean;
  /**
   * The states of the saga it runs: it records `SagaTransitions` by target
   * state and `SagaRepairs` (functions/shared/metrics-catalog.ts); the
   * dashboard draws each state and the stack alarms on its repairs.
   */
  sagaStates?: readonly string[];
  /** Its health rules beyond what its tables and queues give (functions/shared/health.ts); rarely needed. */
  health?: HealthSettings;
}

/** What a service may tune about its health check. */
export interface HealthSettings {
  /** The most messages any of its dead-letter queues may hold while it is `up` (default {@link DEFAULT_MAX_DEAD_LETTERS}). */
  maxDeadLetters?: number;
}

/**
 * Dead letters a service may hold and still be `up`: a message or two parked
 * is a failed request, which the dead-letter alarm reports; more than this
 * is a service whose work keeps failing.
 */
export const DEFAULT_MAX_DEAD_LETTERS = 10;

/** Any service declaration, as the registry holds them. */
export type AnyService = ServiceDeclaration;

/** A declaration as {@link defineService} returns it: routes, tables and queues always present (maybe empty). */
export type DefinedService<
  Routes extends RouteTable,
  Tables extends Declarations<TableDeclaration>,
  Functions extends Declarations<FunctionDeclaration>,
  Queues extends Declarations<QueueDeclaration>,
> = ServiceDeclaration<Routes, Tables, Functions, Queues> & {
  routes: Routes;
  tables: Tables;
  queues: Queues;
};

/**
 * Declares a service, checking that each function names only the service's
 * own routes, tables, queues and log groups, and has one event source;
 * keeps every literal type.
 */
export function defineService<
  const Routes extends RouteTable = Record<never, never>,
  const Tables extends Declarations<TableDeclaration> = Record<never, never>,
  const Queues extends Declarations<QueueDeclaration> = Record<never, never>,
  const LogGroups extends string = never,
  const Functions extends Declarations<
    FunctionDeclaration<
      Extract<keyof Tables, string>,
      Extract<keyof Routes, string>,
      Extract<keyof Queues, string>,
      LogGroups
    >
  > = Record<never, never>,
>(
  declaration: ServiceDeclaration<Routes, Tables, Functions, Queues> & { logGroups?: readonly LogGroups[] },
): DefinedService<Routes, Tables, Functions, Queues> {
  for (const [bundle, fn] of Object.entries(declaration.functions)) {
    if ((fn.routes === undefined) === (fn.trigger === undefined))
      throw new Error(`${bundle} must have exactly one event source: routes or a trigger`);
    if (fn.trigger && 'rpc' in fn.trigger && !declaration.rpc)
      throw new Error(`${bundle} serves RPC, but ${declaration.name} declares no contract`);
  }
  return {
    ...declaration,
    routes: declaration.routes ?? ({} as Routes),
    tables: declaration.tables ?? ({} as Tables),
    queues: declaration.queues ?? ({} as Queues),
  };
}

const upper = (name: string) => name.replaceAll('-', '_').toUpperCase();

/** The services serving HTTP routes (the bench's no-op service aside): each has a dashboard row and alarms. */
export const httpServices = (services: readonly AnyService[]) =>
  services.filter((s) => !s.benchOnly && Object.keys(s.routes ?? {}).length > 0);

/** The services with a function calling another over RPC: each has RPC series and a timeout alarm. */
export const rpcCallers = (services: readonly AnyService[]) =>
  services.filter((s) => Object.values(s.functions).some((fn) => (fn.calls ?? []).length > 0));

/** The services running a saga (they declare its states): each has a saga row and a repairs alarm. */
export const sagaServices = (services: readonly AnyService[]) =>
  services.filter((s) => (s.sagaStates ?? []).length > 0);

/** The env variable naming a service's table: `<SERVICE>_TABLE` for its namesake table, else `<SERVICE>_<TABLE>_TABLE`. */
export function tableEnv(service: string, table: string): string {
  return service === table ? `${upper(service)}_TABLE` : `${upper(service)}_${upper(table)}_TABLE`;
}

/** The env variable holding the URL of a service's queue: `<SERVICE>_<QUEUE>_QUEUE_URL`. */
export const queueEnv = (service: string, queue: string): string =>
  `${upper(service)}_${upper(queue)}_QUEUE_URL`;

/** The env variable naming a service's log group: `<SERVICE>_<GROUP>_LOG_GROUP`. */
export const logGroupEnv = (service: string, group: string): string =>
  `${upper(service)}_${upper(group)}_LOG_GROUP`;

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
  if (!fn.routes) return {};
  if (fn.routes === 'all') return routes;
  return Object.fromEntries((fn.routes ?? []).map((name) => [name, routes[name]]).filter(([, r]) => r));
}

/** The actions an access level or list stands for. */
export const actionsOf = (access: TableAccess): readonly DynamoAction[] =>
  typeof access === 'string' ? TABLE_ACCESS[access] : access;
