/**
 * Metrics on the local stack: the delay from a request to its count in
 * GetMetricData (the route's EMF line read by the local CloudWatch agent and
 * recorded with PutMetricData), for single requests and after a burst, and
 * whether every request was counted exactly once.
 */
import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { downcaseService } from '../../functions/downcase/service.js';
import { METRIC, METRICS_NAMESPACE } from '../../functions/shared/metrics-catalog.js';
import type { Deployment } from '../../lib/stack-outputs.js';
import { localClientConfig } from '../../localstack/deploy.js';
import { POLL_INTERVAL_MS } from '../../localstack/metrics-agent/index.js';
import { LOOKBACK_MS } from '../../localstack/metrics-agent/log-reader.js';
import { type MetricId, metricStatistic } from '../support/metric-sum.js';
import { httpLoad, percentile } from './stats.js';

const SINGLES = 20;
const BURST = 500;
/** The route counted, and its count in CloudWatch (EMF, one per answer). */
const ROUTE = 'downcase?param=Counted';
const COUNT: MetricId = {
  namespace: METRICS_NAMESPACE,
  name: METRIC.requests.name,
  dimensions: { service: downcaseService.name, operation: `${downcaseService.name}.downcase` },
};

export async function metricsBench(deployment: Deployment, check: (target: string, ok: boolean) => void) {
  const cloudWatch = new CloudWatchClient(localClientConfig(deployment.endpoint ?? ''));
  const since = new Date(Date.now() - 3_600_000);
  const read = async () => (await metricStatistic(cloudWatch, COUNT, since)) ?? 0;
  /** Ms from `from` until the count reads `expected` (polled every 20 ms), or NaN after 30 s. */
  const countedAfter = async (from: number, expected: number) => {
    while (Date.now() - from < 30_000) {
      if ((await read()) >= expected) return Date.now() - from;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    return Number.NaN;
  };
  const url = `${deployment.apiBaseUrl}${ROUTE}`;
  try {
    await httpLoad(url, 4, 20); // warm instances: the delay measured is the agent's, not a cold start's
    // Every earlier line counted: the count has not moved for longer than the agent looks back.
    let count = await read();
    for (let steady = Date.now(); Date.now() - steady < LOOKBACK_MS + 2 * POLL_INTERVAL_MS; ) {
      await new Promise((resolve) => setTimeout(resolve, 200));
      const now = await read();
      if (now !== count) [count, steady] = [now, Date.now()];
    }
    const delays: number[] = [];
    for (let i = 0; i < SINGLES; i++) {
      // At a random point of the agent's cycle (one right after a count would always wait a whole poll).
      await new Promise((resolve) => setTimeout(resolve, Math.random() * POLL_INTERVAL_MS));
      const response = await fetch(url);
      const answered = Date.now();
      if (response.status !== 200) throw new Error(`${ROUTE} answered ${response.status}`);
      count += 1;
      delays.push(await countedAfter(answered, count));
    }
    const load = await httpLoad(url, 16, BURST);
    const burstAnswered = Date.now();
    count += BURST - load.errors;
    const burstDelay = await countedAfter(burstAnswered, count);
    // Counted exactly: nothing more arrives after the look-back (a line counted twice would).
    await new Promise((resolve) => setTimeout(resolve, LOOKBACK_MS + 2 * POLL_INTERVAL_MS));
    const final = await read();
    console.log(
      `\nmetrics on the local stack (EMF line -> local CloudWatch agent, polling every ${POLL_INTERVAL_MS / 1000} s -> GetMetricData)`,
    );
    console.log(
      `  one request -> counted: p50 ${delays.length ? percentile(delays, 50).toFixed(0) : '-'} ms, max ${Math.max(...delays).toFixed(0)} ms (${SINGLES} requests)`,
    );
    console.log(
      `  burst of ${BURST} (16 clients, ${load.requestsPerSecond.toFixed(0)} req/s) -> all counted ${burstDelay.toFixed(0)} ms after the last answer; count ${final}, expected ${count}`,
    );
    check('metrics: every request counted exactly once on the local stack', final === count);
    check(
      `metrics: a request counted within ${(POLL_INTERVAL_MS + 1000) / 1000} s (p50)`,
      percentile(delays, 50) <= POLL_INTERVAL_MS + 1000,
    );
  } finally {
    cloudWatch.destroy();
  }
}
