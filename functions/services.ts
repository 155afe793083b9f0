/**
 * Every service of the system, declared once each (`functions/<service>/service.ts`).
 * The stack deploys them, the bundler builds their functions, the API document
 * describes their routes. Adding a service is adding its line here.
 */
import { authService } from './auth/service.js';
import { benchService } from './bench/service.js';
import { bookingsService } from './bookings/service.js';
import { consoleService } from './console/service.js';
import { docsService } from './docs/service.js';
import { downcaseService } from './downcase/service.js';
import { healthService } from './health/service.js';
import { liveFeedService } from './live-feed/service.js';
import { logFeedService } from './log-feed/service.js';
import { moviesService } from './movies/service.js';
import { rpcJanitorService } from './rpc-janitor/service.js';
import { searchService } from './search/service.js';
import type { RouteTable } from './shared/http/route.js';
import {
  type AnyService,
  type FunctionDeclaration,
  logGroupEnv,
  queueEnv,
  tableEnv,
} from './shared/service.js';
import { statusService } from './status/service.js';
import { tasksService } from './tasks/service.js';
import { usersService } from './users/service.js';

export const SERVICES: readonly AnyService[] = [
  logFeedService,
  downcaseService,
  searchService,
  authService,
  tasksService,
  usersService,
  moviesService,
  bookingsService,
  docsService,
  consoleService,
  liveFeedService,
  statusService,
  healthService,
  benchService,
];

/** The route tables the API document describes, by service: every deployed service's (bench routes aside). */
export function documentedRoutes(services: readonly AnyService[] = SERVICES): Record<string, RouteTable> {
  return Object.fromEntries(
    services
      .filter((s) => s.routes && Object.keys(s.routes).length > 0 && !s.benchOnly)
      .map((s) => [s.name, s.routes as RouteTable]),
  );
}

/** The env variable of every declared table (each set by the stack on the functions granted it). */
export function tableEnvNames(services: readonly AnyService[] = SERVICES): string[] {
  return services.flatMap((s) => Object.keys(s.tables ?? {}).map((table) => tableEnv(s.name, table)));
}

/** The env variable of every declared queue and log group (each set on the functions granted it). */
export function queueAndLogGroupEnvNames(services: readonly AnyService[] = DEPLOYABLE): string[] {
  return services.flatMap((s) => [
    ...Object.keys(s.queues ?? {}).map((queue) => queueEnv(s.name, queue)),
    ...(s.logGroups ?? []).map((group) => logGroupEnv(s.name, group)),
  ]);
}

/** The services the stack may deploy: the registry, and the RPC machinery's janitor (deployed when RPC is used). */
export const DEPLOYABLE: readonly AnyService[] = [...SERVICES, rpcJanitorService];

/** Every function's declaration, by bundle name (unique across services). */
export function declaredFunctions(
  services: readonly AnyService[] = DEPLOYABLE,
): Record<string, FunctionDeclaration> {
  const functions: Record<string, FunctionDeclaration> = {};
  for (const service of services) {
    for (const [bundle, fn] of Object.entries(service.functions)) {
      if (functions[bundle]) throw new Error(`two functions are declared as bundle "${bundle}"`);
      functions[bundle] = fn;
    }
  }
  return functions;
}

/** Every function's entry file (relative to `functions/`), by bundle name. */
export function functionEntries(services: readonly AnyService[] = DEPLOYABLE): Record<string, string> {
  return Object.fromEntries(
    Object.entries(declaredFunctions(services)).map(([bundle, fn]) => [bundle, fn.entry]),
  );
}
