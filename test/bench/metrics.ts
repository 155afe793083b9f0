/**
 * The cost of metrics per request: the bench's no-op route answered through
 * the same middy chain with and without the metrics middleware every HTTP
 * function runs (functions/bench/noop.ts: one function, two routes), in the
 * same run. One client alternates the two routes request by request, so a
 * busy moment on the machine weighs on both alike; then 16 clients load each
 * in turn. The difference is what a request pays for its metrics: recording
 * them, writing its EMF line, and the emulator taking that line into the
 * function's log group.
 */
import type { Deployment } from '../../lib/stack-outputs.js';
import { httpLoad, percentile } from './stats.js';

const ALTERNATING = 400;
/** At most 5% more, or 1 ms more (the emulator's own jitter is about that), at p50. */
const MAX_RATIO = 1.05;
const MAX_EXTRA_MS = 1;

async function timed(url: string): Promise<{ ms: number; ok: boolean }> {
  const started = performance.now();
  const response = await fetch(url);
  await response.arrayBuffer();
  return { ms: performance.now() - started, ok: response.status === 200 };
}

export async function metricsCostBench(deployment: Deployment, check: (target: string, ok: boolean) => void) {
  const plain = `${deployment.apiBaseUrl}bench/noop`;
  const metered = `${deployment.apiBaseUrl}bench/noop/metrics`;
  // Not measured: the function's execution environments start, and both routes are warm.
  await httpLoad(plain, 4, 100);
  await httpLoad(metered, 4, 100);

  const without: number[] = [];
  const withMetrics: number[] = [];
  let errors = 0;
  for (let i = 0; i < ALTERNATING; i++) {
    // Each goes first half of the time.
    const order = i % 2 === 0 ? [plain, metered] : [metered, plain];
    for (const url of order) {
      const { ms, ok } = await timed(url);
      (url === plain ? without : withMetrics).push(ms);
      if (!ok) errors += 1;
    }
  }
  const plain16 = await httpLoad(plain, 16, 2000);
  const metered16 = await httpLoad(metered, 16, 2000);

  const p50 = { without: percentile(without, 50), with: percentile(withMetrics, 50) };
  const extra = p50.with - p50.without;
  const fmt = (ms: number) => `${ms.toFixed(2)} ms`;
  console.log(
    '\ncost of metrics per request: the no-op route without and with the metrics middleware (same run)',
  );
  console.log(
    '  load                          | without metrics            | with metrics               | difference',
  );
  console.log(
    `  1 client, ${ALTERNATING} each, alternating | p50 ${fmt(p50.without)}, p99 ${fmt(percentile(without, 99))}`.padEnd(
      61,
    ) +
      `| p50 ${fmt(p50.with)}, p99 ${fmt(percentile(withMetrics, 99))}`.padEnd(29) +
      `| p50 ${extra >= 0 ? '+' : ''}${fmt(extra)} (${((p50.with / p50.without - 1) * 100).toFixed(1)}%)`,
  );
  console.log(
    `  16 clients, 2000 each         | p50 ${fmt(plain16.p50)}, ${plain16.requestsPerSecond.toFixed(0)} req/s`.padEnd(
      61,
    ) +
      `| p50 ${fmt(metered16.p50)}, ${metered16.requestsPerSecond.toFixed(0)} req/s`.padEnd(29) +
      `| throughput ${((metered16.requestsPerSecond / plain16.requestsPerSecond) * 100).toFixed(0)}%`,
  );
  check(
    `metrics cost per request at p50 under ${(MAX_RATIO - 1) * 100}% or ${MAX_EXTRA_MS} ms (+${fmt(extra)})`,
    extra <= MAX_EXTRA_MS || p50.with <= MAX_RATIO * p50.without,
  );
  check('metrics bench: no failed requests', errors + plain16.errors + metered16.errors === 0);
}
