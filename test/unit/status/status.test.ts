import { describe, expect, it } from 'vitest';
import type {
  AlarmStatus,
  MetricPoints,
  MetricQuery,
  MetricsReader,
} from '../../../functions/shared/dashboard/metrics-reader.js';
import { readStatus } from '../../../functions/status/domain/status.js';

const BODY = JSON.stringify({
  widgets: [
    {
      type: 'metric',
      x: 0,
      y: 0,
      properties: {
        title: 'downcase: latency',
        metrics: [
          ['Microservices', 'Latency', 'service', 'downcase', { stat: 'p50', label: 'p50', period: 60 }],
          ['Microservices', 'Latency', 'service', 'downcase', { stat: 'p99', label: 'p99', period: 60 }],
        ],
      },
    },
    {
      type: 'metric',
      x: 0,
      y: 6,
      properties: {
        title: 'DLQs',
        metrics: [
          [
            'AWS/SQS',
            'ApproximateNumberOfMessagesVisible',
            'QueueName',
            'a-dlq',
            { stat: 'Maximum', label: 'a' },
          ],
        ],
      },
    },
  ],
});

/** A reader answering from fixed data, recording what it was asked. */
function fakeReader(alarms: AlarmStatus[]) {
  const asked: {
    dashboards: string[];
    prefixes: string[];
    queries: MetricQuery[];
    start?: Date;
    end?: Date;
  } = {
    dashboards: [],
    prefixes: [],
    queries: [],
  };
  const reader: MetricsReader = {
    dashboardBody: async (name) => {
      asked.dashboards.push(name);
      return BODY;
    },
    metricData: async (queries, start, end) => {
      asked.queries.push(...queries);
      asked.start = start;
      asked.end = end;
      return queries.map(
        (q, i): MetricPoints => ({
          timestamps: [new Date('2026-12-04T10:01:00Z'), new Date('2026-12-04T10:02:00Z')],
          values: [i, q.series.stat === 'p99' ? 40 : i + 1],
        }),
      );
    },
    alarms: async (prefix) => {
      asked.prefixes.push(prefix);
      return alarms;
    },
  };
  return { reader, asked };
}

describe('readStatus', () => {
  const settings = { dashboardName: 'Microservices-operations', alarmNamePrefix: 'Microservices-' };
  const now = new Date('2026-12-04T10:15:30Z');

  it("answers every widget of the dashboard with its series' points, and the alarms under the stack's prefix", async () => {
    const { reader, asked } = fakeReader([
      {
        name: 'Microservices-downcase-5xx',
        description: '5xx above 1 a minute',
        state: 'ALARM',
        reason: 'Threshold Crossed',
        updated: new Date('2026-12-04T10:10:00Z'),
      },
      { name: 'Microservices-dlq', description: '', state: 'OK', reason: 'fine' },
    ]);
    const report = await readStatus(reader, settings, 900, now);
    expect(asked.dashboards).toEqual(['Microservices-operations']);
    expect(asked.prefixes).toEqual(['Microservices-']);
    expect(report).toEqual({
      dashboard: 'Microservices-operations',
      start: '2026-12-04T10:00:00.000Z',
      end: '2026-12-04T10:15:30.000Z',
      periodSeconds: 60,
      widgets: [
        {
          title: 'downcase: latency',
          series: [
            {
              label: 'p50',
              metric: 'Latency',
              stat: 'p50',
              dimensions: { service: 'downcase' },
              timestamps: ['2026-12-04T10:01:00.000Z', '2026-12-04T10:02:00.000Z'],
              values: [0, 1],
            },
            {
              label: 'p99',
              metric: 'Latency',
              stat: 'p99',
              dimensions: { service: 'downcase' },
              timestamps: ['2026-12-04T10:01:00.000Z', '2026-12-04T10:02:00.000Z'],
              values: [1, 40],
            },
          ],
        },
        {
          title: 'DLQs',
          series: [
            {
              label: 'a',
              metric: 'ApproximateNumberOfMessagesVisible',
              stat: 'Maximum',
              dimensions: { QueueName: 'a-dlq' },
              timestamps: ['2026-12-04T10:01:00.000Z', '2026-12-04T10:02:00.000Z'],
              values: [2, 3],
            },
          ],
        },
      ],
      alarms: [
        {
          name: 'Microservices-downcase-5xx',
          description: '5xx above 1 a minute',
          state: 'ALARM',
          reason: 'Threshold Crossed',
          updated: '2026-12-04T10:10:00.000Z',
        },
        { name: 'Microservices-dlq', description: '', state: 'OK', reason: 'fine' },
      ],
    });
  });

  it('asks for whole periods over the window: 1-minute points for 15 minutes, 24-minute points for a day', async () => {
    const { reader, asked } = fakeReader([]);
    await readStatus(reader, settings, 900, now);
    expect(asked.queries.map((q) => q.period)).toEqual([60, 60, 60]);
    expect(asked.start?.toISOString()).toBe('2026-12-04T10:00:00.000Z');
    expect(asked.end).toEqual(now);

    const day = fakeReader([]);
    const report = await readStatus(day.reader, settings, 86_400, now);
    expect(report.periodSeconds).toBe(1440);
    expect(day.asked.queries.every((q) => q.period === 1440)).toBe(true);
    expect((now.getTime() - (day.asked.start?.getTime() ?? 0)) / 1000).toBeGreaterThanOrEqual(86_400);
    expect((day.asked.start?.getTime() ?? 1) % (1440 * 1000)).toBe(0);
  });
});
