import { describe, expect, it } from 'vitest';
import { bookingsService } from '../../../functions/bookings/service.js';
import { downcaseService } from '../../../functions/downcase/service.js';
import {
  checkHealth,
  type HealthReport,
  healthAnswer,
  type Probes,
  type QueueState,
  siblingQueueUrl,
} from '../../../functions/health/domain/health.js';
import { logFeedService } from '../../../functions/log-feed/service.js';
import { DEPLOYABLE } from '../../../functions/services.js';
import { type HealthConfig, healthChecksOf } from '../../../functions/shared/health.js';
import { DEFAULT_MAX_DEAD_LETTERS, defineService } from '../../../functions/shared/service.js';
import { usersService } from '../../../functions/users/service.js';

const BASE = 'https://sqs.eu-west-1.amazonaws.com/111111111111/';
const DLQ_ARN = (name: string) => `arn:aws:sqs:eu-west-1:111111111111:${name}`;

describe('the checks a declaration yields', () => {
  it('a table (the idempotency table of a service with state-changing routes too): reachable; a queue it consumes: reachable, and its dead-letter queue', () => {
    expect(healthChecksOf(usersService)).toEqual([
      { kind: 'table', name: 'users' },
      { kind: 'table', name: 'idempotency' },
      { kind: 'queue', name: 'deletions' },
      { kind: 'deadLetters', name: 'deletions-dlq', queue: 'deletions' },
      { kind: 'queue', name: 'rpc-requests' },
      { kind: 'deadLetters', name: 'rpc-requests-dlq', queue: 'rpc-requests' },
    ]);
  });

  it('every table, its own queues and RPC queue for bookings; the log-feed delivery queue of a feed consumer', () => {
    expect(healthChecksOf(bookingsService).map((c) => `${c.kind}:${c.name}`)).toEqual([
      'table:bookings',
      'table:rate-limits',
      'table:closed-accounts',
      'table:idempotency',
      'queue:saga',
      'deadLetters:saga-dlq',
      'queue:rpc-requests',
      'deadLetters:rpc-requests-dlq',
    ]);
    expect(healthChecksOf(logFeedService).map((c) => `${c.kind}:${c.name}`)).toEqual([
      'queue:log-feed-subscriber-deliveries',
      'deadLetters:log-feed-subscriber-deliveries-dlq',
    ]);
  });

  it('nothing for a service with no table and no queue', () => {
    expect(healthChecksOf(downcaseService)).toEqual([]);
  });

  it('every service declares nothing beyond what its tables and queues give', () => {
    expect(DEPLOYABLE.filter((s) => s.health !== undefined).map((s) => s.name)).toEqual([]);
  });
});

/** Probes over an in-memory account: tables by name, queues by URL; anything else is missing. */
function fakeProbes(
  tables: Record<string, string>,
  queues: Record<string, QueueState>,
  hang: ReadonlySet<string> = new Set(),
): Probes & { aborted: string[] } {
  const aborted: string[] = [];
  const hanging = (resource: string, signal: AbortSignal) =>
    new Promise<never>(() => signal.addEventListener('abort', () => aborted.push(resource)));
  return {
    aborted,
    async table(name, signal) {
      if (hang.has(name)) return hanging(name, signal);
      const status = tables[name];
      if (!status)
        throw Object.assign(new Error('Requested resource not found'), { name: 'ResourceNotFoundException' });
      if (status !== 'ACTIVE') throw new Error(`table is ${status}`);
    },
    async queue(url, signal) {
      if (hang.has(url)) return hanging(url, signal);
      const state = queues[url];
      if (!state)
        throw Object.assign(new Error('The specified queue does not exist.'), { name: 'QueueDoesNotExist' });
      return state;
    },
  };
}

const config: HealthConfig = {
  users: {
    checks: [
      ['table', 'users', 'users-table'],
      ['queue', 'deletions', `${BASE}deletions`],
    ],
  },
  search: { checks: [['table', 'things', 'things-table']] },
  downcase: { checks: [] },
};

const healthyQueues = (dlqDepth = 0): Record<string, QueueState> => ({
  [`${BASE}deletions`]: { messages: 3, deadLetterQueueArn: DLQ_ARN('deletions-dlq') },
  [`${BASE}deletions-dlq`]: { messages: dlqDepth },
});
const healthyTables = { 'users-table': 'ACTIVE', 'things-table': 'ACTIVE' };
const statuses = (report: HealthReport) => Object.fromEntries(report.services.map((s) => [s.name, s.status]));

describe('health evaluation', () => {
  it('is up when every check of every service passes, with queue depths', async () => {
    const report = await checkHealth(config, fakeProbes(healthyTables, healthyQueues()));
    expect(report.status).toBe('up');
    expect(statuses(report)).toEqual({ downcase: 'up', search: 'up', users: 'up' });
    expect(report.services.find((s) => s.name === 'users')?.checks).toEqual([
      { kind: 'table', name: 'users', ok: true, ms: expect.any(Number) },
      { kind: 'queue', name: 'deletions', ok: true, messages: 3, ms: expect.any(Number) },
      { kind: 'deadLetters', name: 'deletions-dlq', ok: true, messages: 0, ms: expect.any(Number) },
    ]);
  });

  it('marks only the service whose table is missing down, saying why', async () => {
    const report = await checkHealth(config, fakeProbes({ 'users-table': 'ACTIVE' }, healthyQueues()));
    expect(report.status).toBe('down');
    expect(statuses(report)).toEqual({ downcase: 'up', search: 'down', users: 'up' });
    expect(report.services.find((s) => s.name === 'search')?.checks[0]).toMatchObject({
      ok: false,
      error: 'ResourceNotFoundException: Requested resource not found',
    });
  });

  it('counts a table that is not serving as down', async () => {
    const report = await checkHealth(
      config,
      fakeProbes({ ...healthyTables, 'things-table': 'DELETING' }, healthyQueues()),
    );
    expect(statuses(report).search).toBe('down');
  });

  it('a deleted queue makes its service down, and its dead-letter queue goes unchecked', async () => {
    const report = await checkHealth(config, fakeProbes(healthyTables, {}));
    const users = report.services.find((s) => s.name === 'users');
    expect(users?.status).toBe('down');
    expect(users?.checks.filter((c) => !c.ok).map((c) => [c.name, c.error])).toEqual([
      ['deletions', 'QueueDoesNotExist: The specified queue does not exist.'],
      ['deletions-dlq', 'not checked: its queue could not be read'],
    ]);
  });

  it(`is up with up to ${DEFAULT_MAX_DEAD_LETTERS} dead letters, down with more`, async () => {
    const atLimit = await checkHealth(
      config,
      fakeProbes(healthyTables, healthyQueues(DEFAULT_MAX_DEAD_LETTERS)),
    );
    expect(statuses(atLimit).users).toBe('up');
    const over = await checkHealth(
      config,
      fakeProbes(healthyTables, healthyQueues(DEFAULT_MAX_DEAD_LETTERS + 1)),
    );
    expect(statuses(over).users).toBe('down');
    expect(over.services.find((s) => s.name === 'users')?.checks[2]).toMatchObject({
      kind: 'deadLetters',
      ok: false,
      messages: DEFAULT_MAX_DEAD_LETTERS + 1,
    });
  });

  it("follows a service's own dead-letter limit", async () => {
    const strict: HealthConfig = { users: { ...(config.users as HealthConfig[string]), maxDeadLetters: 0 } };
    const report = await checkHealth(strict, fakeProbes(healthyTables, healthyQueues(1)));
    expect(report.status).toBe('down');
  });

  it('counts a queue without a dead-letter queue as down', async () => {
    const report = await checkHealth(
      config,
      fakeProbes(healthyTables, { [`${BASE}deletions`]: { messages: 0 } }),
    );
    expect(statuses(report).users).toBe('down');
  });

  it('a check that hangs times out, its request aborted: the service is down and the others answer', async () => {
    const probes = fakeProbes(healthyTables, healthyQueues(), new Set([`${BASE}deletions`]));
    const started = Date.now();
    const report = await checkHealth(config, probes, { timeoutMs: 50 });
    expect(Date.now() - started).toBeLessThan(1000);
    expect(statuses(report)).toEqual({ downcase: 'up', search: 'up', users: 'down' });
    expect(report.services.find((s) => s.name === 'users')?.checks[1]).toMatchObject({
      name: 'deletions',
      ok: false,
      error: 'no answer within 50 ms',
    });
    expect(probes.aborted).toEqual([`${BASE}deletions`]);
  });

  it('runs the checks at once, not one after another', async () => {
    const many: HealthConfig = {
      a: { checks: [['table', 't1', 'slow-1']] },
      b: { checks: [['table', 't2', 'slow-2']] },
      c: { checks: [['table', 't3', 'slow-3']] },
    };
    const slow: Probes = {
      table: () => new Promise((resolve) => setTimeout(resolve, 100)),
      queue: async () => ({ messages: 0 }),
    };
    const started = Date.now();
    await checkHealth(many, slow);
    expect(Date.now() - started).toBeLessThan(250);
  });

  it('finds a dead-letter queue by its ARN beside its queue', () => {
    expect(siblingQueueUrl(`${BASE}q`, DLQ_ARN('q-dlq'))).toBe(`${BASE}q-dlq`);
    expect(
      siblingQueueUrl('http://localhost:4566/000000000000/q', 'arn:aws:sqs:us-east-1:000000000000:d'),
    ).toBe('http://localhost:4566/000000000000/d');
  });
});

describe('the answer of GET /health', () => {
  const report: HealthReport = {
    status: 'down',
    checkedAt: '2026-12-04T05:00:00.000Z',
    services: [
      { name: 'search', status: 'up', checks: [{ kind: 'table', name: 'things', ok: true, ms: 3 }] },
      {
        name: 'users',
        status: 'down',
        checks: [{ kind: 'queue', name: 'deletions', ok: false, error: 'QueueDoesNotExist', ms: 4 }],
      },
    ],
  };
  const lines = [
    { name: 'search', status: 'up' },
    { name: 'users', status: 'down' },
  ];

  it('is 503 when a service is down, 200 when all are up', () => {
    expect(healthAnswer(report, undefined).status).toBe(503);
    expect(healthAnswer({ ...report, status: 'up' }, undefined).status).toBe(200);
  });

  it('hides the checks from anyone but an admin', () => {
    expect(healthAnswer(report, undefined).body.services).toEqual(lines);
    expect(healthAnswer(report, { userId: 'u-1', role: 'user' }).body.services).toEqual(lines);
    expect(healthAnswer(report, { userId: 'a-1', role: 'admin' }).body).toEqual(report);
  });
});

describe('a declaration tuning its health', () => {
  it('may lower its dead-letter limit', () => {
    const strict = defineService({
      name: 'strict',
      queues: { work: {} },
      functions: {
        'strict-worker': { entry: 'strict/worker.ts', description: 'Works', trigger: { queue: 'work' } },
      },
      health: { maxDeadLetters: 0 },
    });
    expect(strict.health?.maxDeadLetters).toBe(0);
    expect(healthChecksOf(strict).map((c) => c.name)).toEqual(['work', 'work-dlq']);
  });
});
