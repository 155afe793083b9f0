import { randomUUID } from 'node:crypto';
import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { CreateQueueCommand, DeleteQueueCommand, SendMessageBatchCommand } from '@aws-sdk/client-sqs';
import { afterAll, describe, expect, it } from 'vitest';
import { downcaseService } from '../../functions/downcase/service.js';
import { COLD_START_METRIC, METRIC, METRICS_NAMESPACE } from '../../functions/shared/metrics-catalog.js';
import { POLL_INTERVAL_MS } from '../../localstack/metrics-agent/index.js';
import { LOOKBACK_MS } from '../../localstack/metrics-agent/log-reader.js';
import { QUEUE_DEPTH_PERIOD_MS } from '../../localstack/metrics-agent/queue-depths.js';
import { type MetricId, metricStatistic } from '../support/metric-sum.js';
import { api, clientConfig, resources, sqs, waitFor } from './support.js';

const cloudWatch = new CloudWatchClient(clientConfig);
afterAll(() => cloudWatch.destroy());

/** Waits longer than a line takes to be counted (the agent's look-back plus two polls). */
const COUNTED_WITHIN_MS = LOOKBACK_MS + 2 * POLL_INTERVAL_MS;

/** The metric's reading once it has not moved for {@link COUNTED_WITHIN_MS} (lines of earlier tests counted). */
async function steadyReading(metric: MetricId, since: Date): Promise<number> {
  let reading = (await metricStatistic(cloudWatch, metric, since)) ?? 0;
  let steadySince = Date.now();
  while (Date.now() - steadySince < COUNTED_WITHIN_MS) {
    await new Promise((resolve) => setTimeout(resolve, 250));
    const now = (await metricStatistic(cloudWatch, metric, since)) ?? 0;
    if (now !== reading) [reading, steadySince] = [now, Date.now()];
  }
  return reading;
}

/**
 * Reads the metric until it shows `expected`, then keeps reading it for longer than the agent
 * looks back (plus one poll), so a line counted twice would show; returns the last reading.
 */
async function settledAt(metric: MetricId, since: Date, expected: number): Promise<number | undefined> {
  let last: number | undefined;
  await waitFor(
    `${metric.name} to reach ${expected}`,
    async () => {
      last = await metricStatistic(cloudWatch, metric, since);
      return last === expected ? true : undefined;
    },
    // The agent reads every function's log group each pass; with every e2e project running at
    // once a pass can take tens of seconds.
    { timeoutMs: 90_000 },
  ).catch((error: Error) => {
    throw new Error(`${error.message} (it reads ${last})`);
  });
  const watchUntil = Date.now() + COUNTED_WITHIN_MS;
  while (Date.now() < watchUntil && last === expected) {
    await new Promise((resolve) => setTimeout(resolve, 250));
    last = await metricStatistic(cloudWatch, metric, since);
  }
  return last;
}

describe('metrics on the local stack (the local CloudWatch agent)', () => {
  it('GetMetricData counts exactly the requests a route answered, sent in a burst', async () => {
    // Every answer of a route is counted (Requests by {service, operation}); no other test calls it meanwhile.
    const metric: MetricId = {
      namespace: METRICS_NAMESPACE,
      name: METRIC.requests.name,
      dimensions: { service: downcaseService.name, operation: `${downcaseService.name}.downcase` },
    };
    const since = new Date(Date.now() - 3_600_000);
    // What earlier tests left, once counted.
    const before = await steadyReading(metric, since);
    // Two bursts of twenty at once: lines written in the same milliseconds, by several function instances.
    const requests = 40;
    for (let burst = 0; burst < 2; burst++) {
      const answers = await Promise.all(Array.from({ length: 20 }, () => api('downcase?param=Counted')));
      expect(answers.map((answer) => answer.status)).toEqual(Array(20).fill(200));
    }
    expect(await settledAt(metric, since, before + requests)).toBe(before + requests);
  });

  it("counts a function's cold start (ColdStart by service and function name), as Lambda tells Powertools on AWS", async () => {
    const answer = await api('downcase?param=Cold');
    expect(answer.status).toBe(200);
    // Its execution environment started once at least (this file's requests), each counted once.
    const metric: MetricId = {
      namespace: METRICS_NAMESPACE,
      name: COLD_START_METRIC,
      dimensions: {
        service: downcaseService.name,
        function_name: resources.functionName(downcaseService, 'downcase'),
      },
    };
    const since = new Date(Date.now() - 3_600_000);
    const starts = await waitFor('a ColdStart of the downcase function', async () => {
      const sum = await metricStatistic(cloudWatch, metric, since);
      return sum !== undefined && sum >= 1 ? sum : undefined;
    });
    expect(Number.isInteger(starts)).toBe(true);
  });

  it('records every queue depth as AWS/SQS ApproximateNumberOfMessagesVisible by QueueName, every minute', async () => {
    const queueName = `metrics-e2e-${randomUUID().slice(0, 8)}`;
    const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: queueName }));
    try {
      await sqs.send(
        new SendMessageBatchCommand({
          QueueUrl,
          Entries: ['1', '2', '3'].map((Id) => ({ Id, MessageBody: `parked ${Id}` })),
        }),
      );
      const since = new Date(Date.now() - 60_000);
      const visible = await waitFor(
        'the queue depth in CloudWatch',
        async () => {
          const depth = await metricStatistic(
            cloudWatch,
            {
              namespace: 'AWS/SQS',
              name: 'ApproximateNumberOfMessagesVisible',
              dimensions: { QueueName: queueName },
            },
            since,
            'Maximum',
          );
          return depth === 3 ? depth : undefined;
        },
        { timeoutMs: QUEUE_DEPTH_PERIOD_MS + 30_000, intervalMs: 1_000 },
      );
      expect(visible).toBe(3);
    } finally {
      await sqs.send(new DeleteQueueCommand({ QueueUrl }));
    }
  });
});
