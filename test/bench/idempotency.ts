/**
 * The cost of an `Idempotency-Key` per request: `POST /tasks` answered with
 * and without a key, in the same run, one client alternating the two request
 * by request (each first half the time), so a busy moment on the machine
 * weighs on both alike. Each keyed request has a fresh key, as a client's
 * first attempt does: what it pays is the claim (a conditional PutItem) and
 * keeping the answer (an UpdateItem) in the tasks service's idempotency
 * table. A repeat (the replay: one conditional PutItem that fails, a
 * GetItem) is timed beside them.
 */
import { randomUUID } from 'node:crypto';
import type { Deployment } from '../../lib/stack-outputs.js';
import { benchPerson } from './people.js';
import { percentile } from './stats.js';

const REQUESTS = 150;

export async function idempotencyBench(deployment: Deployment, check: (target: string, ok: boolean) => void) {
  const person = await benchPerson(deployment);
  const url = `${deployment.apiBaseUrl}tasks`;
  const send = async (key?: string) => {
    const started = performance.now();
    const response = await fetch(url, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${person.accessToken}`,
        'content-type': 'application/json',
        ...(key ? { 'idempotency-key': key } : {}),
      },
      body: JSON.stringify({ name: 'bench task' }),
    });
    await response.arrayBuffer();
    return { ms: performance.now() - started, ok: response.status === 201 };
  };

  // Warm both paths (cold starts, the table's first writes) before timing.
  for (let i = 0; i < 10; i++) await Promise.all([send(), send(randomUUID())]);
  const without: number[] = [];
  const keyed: number[] = [];
  const replayed: number[] = [];
  let errors = 0;
  for (let i = 0; i < REQUESTS; i++) {
    const key = randomUUID();
    const order = i % 2 === 0 ? [undefined, key] : [key, undefined];
    for (const k of order) {
      const { ms, ok } = await send(k);
      if (!ok) errors += 1;
      (k ? keyed : without).push(ms);
    }
    if (i % 3 === 0) {
      const { ms, ok } = await send(key);
      if (!ok) errors += 1;
      replayed.push(ms);
    }
  }

  const p50 = (sample: number[]) => percentile(sample, 50);
  console.log(`\nIdempotency-Key: POST /tasks, 1 client, ${REQUESTS} requests each, alternating (p50 / p99)`);
  for (const [label, sample] of [
    ['without a key', without],
    ['with a new key', keyed],
    ['a repeat (replayed)', replayed],
  ] as const) {
    console.log(
      `  ${label.padEnd(20)} | ${p50(sample).toFixed(1).padStart(6)} ms | ${percentile(sample, 99).toFixed(1).padStart(6)} ms`,
    );
  }
  console.log(`  a new key adds ${(p50(keyed) - p50(without)).toFixed(1)} ms at p50`);
  check('idempotency: every bench POST /tasks answered 201 (replays included)', errors === 0);
}
