/**
 * Health evaluation, as Consul's checks gave it: every service's checks run
 * at once, each bounded by a timeout, and a service is `up` only when all of
 * its checks pass. Pure: the probes that reach DynamoDB and SQS are a port.
 */
import * as z from 'zod/mini';
import type { Caller } from '../../shared/caller.js';
import type { HealthCheckKind, HealthConfig } from '../../shared/health.js';
import { DEFAULT_MAX_DEAD_LETTERS } from '../../shared/service.js';

/** How long one check may take: a dependency that hangs makes its service `down`, not the caller wait. */
export const CHECK_TIMEOUT_MS = 2000;

export type Status = 'up' | 'down';

/** Reaches what the checks look at; each call may be abandoned through `signal`. */
export interface Probes {
  /** Resolves when the table exists and serves requests; rejects saying why not. */
  table(tableName: string, signal: AbortSignal): Promise<void>;
  /** The queue's visible messages and the ARN of its dead-letter queue; rejects when it cannot be read. */
  queue(queueUrl: string, signal: AbortSignal): Promise<QueueState>;
}

export interface QueueState {
  messages: number;
  /** From its redrive policy; absent when it has none. */
  deadLetterQueueArn?: string;
}

/** The URL of a queue of the same account and region, by its ARN: the queue's URL with the other's name. */
export function siblingQueueUrl(queueUrl: string, queueArn: string): string {
  return `${queueUrl.slice(0, queueUrl.lastIndexOf('/') + 1)}${queueArn.slice(queueArn.lastIndexOf(':') + 1)}`;
}

/** What one check found. */
export interface CheckResult {
  kind: HealthCheckKind;
  name: string;
  ok: boolean;
  /** Visible messages (queues and dead-letter queues that answered). */
  messages?: number;
  /** Why it failed. */
  error?: string;
  ms: number;
}

export interface ServiceHealth {
  name: string;
  status: Status;
  checks: CheckResult[];
}

export interface HealthReport {
  status: Status;
  checkedAt: string;
  services: ServiceHealth[];
}

class CheckTimeout extends Error {}

/** Runs `probe`, abandoning it (and aborting its request) after `timeoutMs`. */
async function withTimeout<T>(timeoutMs: number, probe: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const controller = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      // Settled before the abort, so the answer is the timeout, not the aborted request's error.
      reject(new CheckTimeout(`no answer within ${timeoutMs} ms`));
      controller.abort();
    }, timeoutMs);
  });
  try {
    return await Promise.race([probe(controller.signal), expired]);
  } finally {
    clearTimeout(timer);
  }
}

/** `QueueDoesNotExist: The specified queue does not exist.`; a timeout or a plain error by its message. */
function reason(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  return error.name === 'Error' || error instanceof CheckTimeout
    ? error.message
    : `${error.name}: ${error.message}`;
}

/** A failed check. */
const failed = (kind: HealthCheckKind, name: string, error: string, ms: number): CheckResult => ({
  kind,
  name,
  ok: false,
  error,
  ms,
});

/** A table: reachable and serving. */
async function checkTable(name: string, tableName: string, probes: Probes, timeoutMs: number) {
  const started = Date.now();
  try {
    await withTimeout(timeoutMs, (signal) => probes.table(tableName, signal));
    return [{ kind: 'table', name, ok: true, ms: Date.now() - started }] satisfies CheckResult[];
  } catch (error) {
    return [failed('table', name, reason(error), Date.now() - started)];
  }
}

/**
 * A queue: reachable; then its dead-letter queue, found in the queue's
 * redrive policy: reachable, and holding at most `maxDeadLetters` messages.
 */
async function checkQueue(
  name: string,
  queueUrl: string,
  maxDeadLetters: number,
  probes: Probes,
  timeoutMs: number,
): Promise<CheckResult[]> {
  const dlq = `${name}-dlq`;
  let started = Date.now();
  let state: QueueState;
  try {
    state = await withTimeout(timeoutMs, (signal) => probes.queue(queueUrl, signal));
  } catch (error) {
    const ms = Date.now() - started;
    return [
      failed('queue', name, reason(error), ms),
      failed('deadLetters', dlq, 'not checked: its queue could not be read', 0),
    ];
  }
  const queue: CheckResult = {
    kind: 'queue',
    name,
    ok: true,
    messages: state.messages,
    ms: Date.now() - started,
  };
  if (!state.deadLetterQueueArn)
    return [queue, failed('deadLetters', dlq, 'the queue has no dead-letter queue', 0)];
  const dlqUrl = siblingQueueUrl(queueUrl, state.deadLetterQueueArn);
  started = Date.now();
  try {
    const { messages } = await withTimeout(timeoutMs, (signal) => probes.queue(dlqUrl, signal));
    const ms = Date.now() - started;
    if (messages > maxDeadLetters)
      return [
        queue,
        {
          ...failed(
            'deadLetters',
            dlq,
            `${messages} dead letters, more than the ${maxDeadLetters} allowed`,
            ms,
          ),
          messages,
        },
      ];
    return [queue, { kind: 'deadLetters', name: dlq, ok: true, messages, ms }];
  } catch (error) {
    return [queue, failed('deadLetters', dlq, reason(error), Date.now() - started)];
  }
}

/** Runs every check of every service at once; a service is `up` when each of its checks passed. */
export async function checkHealth(
  config: HealthConfig,
  probes: Probes,
  { timeoutMs = CHECK_TIMEOUT_MS, now = () => new Date() } = {},
): Promise<HealthReport> {
  const services = await Promise.all(
    Object.entries(config).map(async ([name, service]): Promise<ServiceHealth> => {
      const maxDeadLetters = service.maxDeadLetters ?? DEFAULT_MAX_DEAD_LETTERS;
      const results = (
        await Promise.all(
          service.checks.map(([kind, check, resource]) =>
            kind === 'table'
              ? checkTable(check, resource, probes, timeoutMs)
              : checkQueue(check, resource, maxDeadLetters, probes, timeoutMs),
          ),
        )
      ).flat();
      return { name, status: results.every((r) => r.ok) ? 'up' : 'down', checks: results };
    }),
  );
  services.sort((a, b) => a.name.localeCompare(b.name));
  return {
    status: services.every((s) => s.status === 'up') ? 'up' : 'down',
    checkedAt: now().toISOString(),
    services,
  };
}

/** The answer of `GET /health`: 200 when every service is up, else 503; each check only for an admin. */
export function healthAnswer(
  report: HealthReport,
  caller: Caller | undefined,
): { status: 200 | 503; body: HealthView } {
  return {
    status: report.status === 'up' ? 200 : 503,
    body: caller?.role === 'admin' ? report : publicView(report),
  };
}

/** What anyone may see: one line per service, its name and whether it is up; the checks are for admins. */
export function publicView(report: HealthReport): HealthView {
  return { ...report, services: report.services.map(({ name, status }) => ({ name, status })) };
}

const status = z.enum(['up', 'down']);

/** The body of `GET /health`: the checks of each service only for an admin. */
export const healthView = z.object({
  status,
  checkedAt: z.string(),
  services: z.array(
    z.object({
      name: z.string(),
      status,
      checks: z.optional(
        z.array(
          z.object({
            kind: z.enum(['table', 'queue', 'deadLetters']),
            name: z.string(),
            ok: z.boolean(),
            messages: z.optional(z.number()),
            error: z.optional(z.string()),
            ms: z.number(),
          }),
        ),
      ),
    }),
  ),
});
export type HealthView = z.infer<typeof healthView>;
