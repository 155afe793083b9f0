/**
 * The cost of metrics per request: the bench's no-op route answered through
 * the same middy chain with and without the metrics middleware every HTTP
 * function runs (functions/bench/noop.ts: one function, two routes), in the
 * same run. Every client alternates the two routes request by request, so a
 * busy moment on the machine weighs on both alike: one client, then 16 at
 * once. The difference is what a request pays for its metrics: recording
 * them, writing its EMF line, and the emulator taking that line into the
 * function's log group.
 */
import type { Deployment } from '../../lib/stack-outputs.js';
import { httpLoad, percentile } from './stats.js';

/** At most 5% more, or 1 ms more, at p50 (the issue's target). */
const MAX_RATIO = 1.05;
const MAX_EXTRA_MS = 1;

export interface Samples {
  without: number[];
  with: number[];
  errors: number;
}

/** One request: whether it was answered as expected. */
export type Request = () => Promise<boolean>;

/** A GET of `url` that expects 200. */
export const getting =
  (url: string): Request =>
  async () => {
    const response = await fetch(url);
    await response.arrayBuffer();
    return response.status === 200;
  };

/**
 * `clients` clients, each sending requests of both kinds in turn (each kind first half the
 * time), `perKind` of each in all: a busy moment on the machine weighs on both alike.
 */
export async function alternating(
  without: Request,
  withIt: Request,
  clients: number,
  perKind: number,
): Promise<Samples> {
  const samples: Samples = { without: [], with: [], errors: 0 };
  let next = 0;
  await Promise.all(
    Array.from({ length: clients }, async () => {
      while (next < perKind) {
        const i = next++;
        for (const kind of i % 2 === 0 ? [without, withIt] : [withIt, without]) {
          const started = performance.now();
          const ok = await kind();
          (kind === without ? samples.without : samples.with).push(performance.now() - started);
          if (!ok) samples.errors += 1;
        }
      }
    }),
  );
  return samples;
}

export async function metricsCostBench(deployment: Deployment, check: (target: string, ok: boolean) => void) {
  const plain = `${deployment.apiBaseUrl}bench/noop`;
  const metered = `${deployment.apiBaseUrl}bench/noop/metrics`;
  // Not measured: the function's execution environments start, and both routes are warm.
  await httpLoad(plain, 4, 100);
  await httpLoad(metered, 4, 100);

  const fmt = (ms: number) => `${ms.toFixed(2)} ms`;
  const rows: Array<[string, Samples]> = [
    ['1 client, 400 each', await alternating(getting(plain), getting(metered), 1, 400)],
    ['16 clients, 2000 each', await alternating(getting(plain), getting(metered), 16, 2000)],
  ];
  console.log('\ncost of metrics per request: the no-op route without and with the metrics middleware');
  console.log('(same function, same run, requests alternating between the two)');
  console.log(
    '  load                  | without: p50 / p99        | with metrics: p50 / p99   | difference at p50',
  );
  for (const [label, s] of rows) {
    const p50 = { without: percentile(s.without, 50), with: percentile(s.with, 50) };
    const extra = p50.with - p50.without;
    console.log(
      `  ${label.padEnd(22)}| ${`${fmt(p50.without)} / ${fmt(percentile(s.without, 99))}`.padEnd(26)}` +
        `| ${`${fmt(p50.with)} / ${fmt(percentile(s.with, 99))}`.padEnd(26)}` +
        `| ${extra >= 0 ? '+' : ''}${fmt(extra)} (${extra >= 0 ? '+' : ''}${((p50.with / p50.without - 1) * 100).toFixed(1)}%)`,
    );
  }
  const [, single] = rows[0] as [string, Samples];
  const extra = percentile(single.with, 50) - percentile(single.without, 50);
  check(
    `metrics cost per request at p50 (1 client) under ${Math.round((MAX_RATIO - 1) * 100)}% or ${MAX_EXTRA_MS} ms (${extra >= 0 ? '+' : ''}${fmt(extra)})`,
    extra <= MAX_EXTRA_MS || percentile(single.with, 50) <= MAX_RATIO * percentile(single.without, 50),
  );
  check(
    'metrics bench: no failed requests',
    rows.every(([, s]) => s.errors === 0),
  );
}
