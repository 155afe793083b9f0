/**
 * A service's health check, derived from its declaration alone (as Consul's
 * service checks were): each table it declares must be reachable, each queue
 * it consumes (its own queues, its RPC request queue, its log-feed delivery
 * queue) must be reachable, and each of their dead-letter queues must be
 * reachable and hold at most `health.maxDeadLetters` messages. Pure: the
 * stack resolves these names to resources, the health function runs them.
 */
import { IDEMPOTENCY_TABLE_NAME, keyedFunctions } from './http/idempotency-table.js';
import { type AnyService, DEFAULT_MAX_DEAD_LETTERS } from './service.js';

/** `table`: DescribeTable; `queue`: GetQueueAttributes; `deadLetters`: GetQueueAttributes and its depth. */
export type HealthCheckKind = 'table' | 'queue' | 'deadLetters';

/** One check of a service: what it looks at, by the name its declaration gives it. */
export interface HealthCheckSpec {
  kind: HealthCheckKind;
  /** The table's or queue's name in the declaration (`rpc-requests` for its RPC queue, `<bundle>-deliveries` for a log-feed queue); a dead-letter queue is `<queue>-dlq`. */
  name: string;
  /** For `deadLetters`: the queue whose dead letters it holds. */
  queue?: string;
}

/** The name of a service's RPC request queue in its checks. */
export const RPC_QUEUE = 'rpc-requests';

/** The name of a log-feed consumer's delivery queue in its service's checks. */
export const feedQueueName = (bundle: string) => `${bundle}-deliveries`;

/** The queues a service consumes, by their names in its checks: its own, its RPC request queue, its log-feed deliveries. */
export function consumedQueues(service: AnyService): string[] {
  const functions = Object.entries(service.functions);
  return [
    ...Object.keys(service.queues ?? {}),
    ...(service.rpc ? [RPC_QUEUE] : []),
    ...functions
      .filter(([, fn]) => fn.trigger && 'logFeed' in fn.trigger)
      .map(([bundle]) => feedQueueName(bundle)),
  ];
}

/**
 * Every check a service's declaration yields: its tables (its idempotency table
 * too, when it serves state-changing routes), the queues it consumes, and their dead-letter queues.
 */
export function healthChecksOf(service: AnyService): HealthCheckSpec[] {
  const tables = [
    ...Object.keys(service.tables ?? {}),
    ...(keyedFunctions(service).length > 0 ? [IDEMPOTENCY_TABLE_NAME] : []),
  ];
  return [
    ...tables.map((name): HealthCheckSpec => ({ kind: 'table', name })),
    ...consumedQueues(service).flatMap((queue): HealthCheckSpec[] => [
      { kind: 'queue', name: queue },
      { kind: 'deadLetters', name: `${queue}-dlq`, queue },
    ]),
  ];
}

/** The most dead letters a service may hold while `up`. */
export const maxDeadLettersOf = (service: AnyService): number =>
  service.health?.maxDeadLetters ?? DEFAULT_MAX_DEAD_LETTERS;

/**
 * What the health function is told (the `HEALTH_CHECKS` variable, JSON): per
 * service, its checks as `[kind, name, resource]` (a table name or a queue
 * URL), and its dead-letter limit when not the default. A queue's dead-letter
 * queue is not listed: the check finds it in the queue's redrive policy (so it
 * checks that wiring too), which keeps the variable inside Lambda's 4 KB of
 * environment (a queue URL is ~110 characters on AWS).
 */
export type HealthConfig = Readonly<
  Record<
    string,
    {
      maxDeadLetters?: number;
      checks: ReadonlyArray<readonly [Exclude<HealthCheckKind, 'deadLetters'>, string, string]>;
    }
  >
>;
