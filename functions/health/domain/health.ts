/**
 * Health evaluation, as Consul's checks gave it: every service's checks run
 * at once, each bounded by a timeout, and a service is `up` only when all of
 * its checks pass. Pure: the probes that reach DynamoDB and SQS are a port.
 */
import * as z from 'zod/mini';
import type { HealthCheckKind, HealthConfig } from '../../shared/health.js';

/** How long one check may take: a dependency that hangs makes its service `down`, not the caller wait. */
export const CHECK_TIMEOUT_MS = 2000;

export type Status = 'up' | 'down';

/** Reaches what the checks look at; each call may be abandoned through `signal`. */
export interface Probes {
  /** Resolves when the table exists and serves requests; rejects saying why not. */
  table(tableName: string, signal: AbortSignal): Promise<void>;
  /** The queue's visible messages; rejects when it cannot be read. */
  queueDepth(queueUrl: string, signal: AbortSignal): Promise<number>;
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
      controller.abort();
      reject(new CheckTimeout(`no answer within ${timeoutMs} ms`));
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

async function runCheck(
  [kind, name, resource]: readonly [HealthCheckKind, string, string],
  maxDeadLetters: number,
  probes: Probes,
  timeoutMs: number,
): Promise<CheckResult> {
  const started = Date.now();
  const elapsed = () => Date.now() - started;
  try {
    if (kind === 'table') {
      await withTimeout(timeoutMs, (signal) => probes.table(resource, signal));
      return { kind, name, ok: true, ms: elapsed() };
    }
    const messages = await withTimeout(timeoutMs, (signal) => probes.queueDepth(resource, signal));
    if (kind === 'deadLetters' && messages > maxDeadLetters)
      return {
        kind,
        name,
        ok: false,
        messages,
        error: `${messages} dead letters, more than the ${maxDeadLetters} allowed`,
        ms: elapsed(),
      };
    return { kind, name, ok: true, messages, ms: elapsed() };
  } catch (error) {
    return { kind, name, ok: false, error: reason(error), ms: elapsed() };
  }
}

/** Runs every check of every service at once; a service is `up` when each of its checks passed. */
export async function checkHealth(
  config: HealthConfig,
  probes: Probes,
  { timeoutMs = CHECK_TIMEOUT_MS, now = () => new Date() } = {},
): Promise<HealthReport> {
  const services = await Promise.all(
    Object.entries(config).map(async ([name, { maxDeadLetters, checks }]): Promise<ServiceHealth> => {
      const results = await Promise.all(checks.map((c) => runCheck(c, maxDeadLetters, probes, timeoutMs)));
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
