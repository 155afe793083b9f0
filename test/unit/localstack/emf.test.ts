import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  datumsOfLine,
  PUT_LIMITS,
  type PutMetricDataInput,
  putMetricDataInputs,
} from '../../../localstack/metrics-agent/emf.js';
import { MetricWriter } from '../../../localstack/metrics-agent/metric-writer.js';
import { queueDepthDatums } from '../../../localstack/metrics-agent/queue-depths.js';

/** The lines Powertools Metrics writes to stdout while `emit` runs (what a function's log group receives). */
function emfLines(emit: (metrics: Metrics) => void, options = {}): string[] {
  const lines: string[] = [];
  const write = vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
    lines.push(...String(chunk).split('\n').filter(Boolean));
    return true;
  });
  try {
    emit(new Metrics({ namespace: 'Microservices', serviceName: 'downcase', ...options }));
  } finally {
    write.mockRestore();
  }
  return lines;
}

afterEach(() => vi.useRealTimers());

describe('EMF lines to metric datums', () => {
  it('records every metric of a line with its unit, values and the line timestamp', () => {
    vi.useFakeTimers({ now: new Date('2026-12-04T05:00:00.250Z'), toFake: ['Date'] });
    const [line = ''] = emfLines((metrics) => {
      metrics.addMetric('Requests', MetricUnit.Count, 1);
      metrics.addMetric('Latency', MetricUnit.Milliseconds, 12.5);
      metrics.publishStoredMetrics();
    });
    expect(datumsOfLine(line)).toEqual([
      {
        Namespace: 'Microservices',
        MetricName: 'Requests',
        Dimensions: [{ Name: 'service', Value: 'downcase' }],
        Timestamp: new Date('2026-12-04T05:00:00.250Z'),
        Unit: 'Count',
        Values: [1],
      },
      {
        Namespace: 'Microservices',
        MetricName: 'Latency',
        Dimensions: [{ Name: 'service', Value: 'downcase' }],
        Timestamp: new Date('2026-12-04T05:00:00.250Z'),
        Unit: 'Milliseconds',
        Values: [12.5],
      },
    ]);
  });

  it('records each metric once per dimension set of the line', () => {
    const [line = ''] = emfLines((metrics) => {
      metrics.addDimension('kind', 'point');
      metrics.addDimensions({ operation: 'downcase.get' });
      metrics.addMetric('Requests', MetricUnit.Count, 1);
      metrics.addMetric('Errors4xx', MetricUnit.Count, 0);
      metrics.publishStoredMetrics();
    });
    const recorded = datumsOfLine(line).map(({ MetricName, Dimensions }) => ({ MetricName, Dimensions }));
    const byService = { Name: 'service', Value: 'downcase' };
    expect(recorded).toEqual([
      { MetricName: 'Requests', Dimensions: [byService, { Name: 'kind', Value: 'point' }] },
      { MetricName: 'Requests', Dimensions: [byService, { Name: 'operation', Value: 'downcase.get' }] },
      { MetricName: 'Errors4xx', Dimensions: [byService, { Name: 'kind', Value: 'point' }] },
      { MetricName: 'Errors4xx', Dimensions: [byService, { Name: 'operation', Value: 'downcase.get' }] },
    ]);
  });

  it('keeps every value of a metric added several times (an EMF value array)', () => {
    const [line = ''] = emfLines((metrics) => {
      for (const value of [3, 5, 8]) metrics.addMetric('Latency', MetricUnit.Milliseconds, value);
      metrics.publishStoredMetrics();
    });
    expect(JSON.parse(line).Latency).toEqual([3, 5, 8]); // what Powertools wrote: an array
    expect(datumsOfLine(line).map((datum) => datum.Values)).toEqual([[3, 5, 8]]);
  });

  it('reads single-metric lines and high-resolution metrics', () => {
    const lines = emfLines((metrics) => {
      metrics.singleMetric().addMetric('ColdStart', MetricUnit.Count, 1);
      metrics.addMetric('Hot', MetricUnit.Count, 2, 1);
      metrics.publishStoredMetrics();
    });
    expect(
      lines
        .flatMap(datumsOfLine)
        .map(({ MetricName, StorageResolution }) => ({ MetricName, StorageResolution })),
    ).toEqual([
      { MetricName: 'ColdStart', StorageResolution: undefined },
      { MetricName: 'Hot', StorageResolution: 1 },
    ]);
  });

  it('ignores lines that are not EMF documents', () => {
    const notEmf = [
      'START RequestId: 5f1c Version: $LATEST',
      '{"level":"INFO","message":"request","service":"downcase"}',
      '{"_aws":{"CloudWatchMetrics":"not a list","Timestamp":1}}',
      '{"_aws":{"CloudWatchMetrics":[]}}', // no timestamp
      '{"_aws":{"Timestamp":1, "CloudWatchMetrics":[{"Namespace":"N","Dimensions":[["service"]],"Metrics":[{"Name":"M"}]}]}, "M": 1',
      '2026-12-04T05:00:00Z INFO {"_aws":"CloudWatchMetrics"}',
    ];
    expect(notEmf.flatMap(datumsOfLine)).toEqual([]);
  });

  it('drops a metric without a numeric value and a dimension set naming a missing dimension', () => {
    const line = JSON.stringify({
      _aws: {
        Timestamp: 1_796_000_000_000,
        CloudWatchMetrics: [
          {
            Namespace: 'N',
            Dimensions: [['service'], ['service', 'missing']],
            Metrics: [
              { Name: 'Good', Unit: 'Count' },
              { Name: 'Text' },
              { Name: 'Absent' },
              { Name: 'Odd', Unit: 'Furlongs' },
            ],
          },
        ],
      },
      service: 's',
      Good: 2,
      Text: 'three',
      Odd: 1,
    });
    expect(
      datumsOfLine(line).map(({ MetricName, Dimensions, Unit }) => ({ MetricName, Dimensions, Unit })),
    ).toEqual([
      { MetricName: 'Good', Dimensions: [{ Name: 'service', Value: 's' }], Unit: 'Count' },
      { MetricName: 'Odd', Dimensions: [{ Name: 'service', Value: 's' }], Unit: 'None' },
    ]);
  });
});

describe('PutMetricData batches', () => {
  const linesOf = (count: number, metricsPerLine: number) =>
    emfLines((metrics) => {
      for (let line = 0; line < count; line++) {
        for (let m = 0; m < metricsPerLine; m++) metrics.addMetric(`M${m}`, MetricUnit.Count, line);
        metrics.publishStoredMetrics();
      }
    });

  it('sends at most 1,000 datums a call and loses none', () => {
    const datums = linesOf(250, 10).flatMap(datumsOfLine); // 2,500 datums
    const inputs = putMetricDataInputs(datums);
    expect(inputs.map((input) => input.MetricData.length)).toEqual([1000, 1000, 500]);
    expect(inputs.flatMap((input) => input.MetricData)).toEqual(
      datums.map(({ Namespace: _, ...datum }) => datum),
    );
  });

  it('keeps each call under 1 MB', () => {
    // Long dimension values make the bytes, not the count, the limit.
    const lines = emfLines((metrics) => {
      for (let line = 0; line < 900; line++) {
        metrics.addDimension('detail', `${line}`.padEnd(1000, 'x'));
        metrics.addMetric('Requests', MetricUnit.Count, 1);
        metrics.publishStoredMetrics();
      }
    });
    const inputs = putMetricDataInputs(lines.flatMap(datumsOfLine));
    expect(inputs.length).toBeGreaterThan(1);
    for (const input of inputs) expect(JSON.stringify(input).length).toBeLessThan(PUT_LIMITS.bytes);
    expect(inputs.reduce((sum, input) => sum + input.MetricData.length, 0)).toBe(900);
  });

  it('makes one call per namespace', () => {
    const lines = [
      ...emfLines((metrics) => {
        metrics.addMetric('A', MetricUnit.Count, 1);
        metrics.publishStoredMetrics();
      }),
      ...emfLines(
        (metrics) => {
          metrics.addMetric('B', MetricUnit.Count, 1);
          metrics.publishStoredMetrics();
        },
        { namespace: 'Other' },
      ),
    ];
    expect(putMetricDataInputs(lines.flatMap(datumsOfLine)).map((input) => input.Namespace)).toEqual([
      'Microservices',
      'Other',
    ]);
  });

  it('splits a datum with more than 150 values, keeping every value', () => {
    const [line = ''] = emfLines((metrics) => {
      for (let value = 0; value < 100; value++) metrics.addMetric('Latency', MetricUnit.Milliseconds, value);
      metrics.publishStoredMetrics();
    });
    const datum = datumsOfLine(line)[0];
    if (!datum) throw new Error('no datum');
    const big = { ...datum, Values: [...datum.Values, ...datum.Values] }; // 200 values
    const [input] = putMetricDataInputs([big]);
    expect(input?.MetricData.map((d) => d.Values.length)).toEqual([150, 50]);
    expect(input?.MetricData.flatMap((d) => d.Values)).toEqual(big.Values);
  });
});

describe('SQS queue depths', () => {
  it('are AWS/SQS metrics by QueueName, as AWS publishes them', () => {
    const at = new Date('2026-12-04T05:00:00Z');
    const datums = queueDepthDatums(
      'http://localhost:4566/000000000000/Microservices-bookings-saga-dlq',
      {
        ApproximateNumberOfMessages: '2',
        ApproximateNumberOfMessagesNotVisible: '1',
        ApproximateNumberOfMessagesDelayed: '0',
      },
      at,
    );
    const queue = [{ Name: 'QueueName', Value: 'Microservices-bookings-saga-dlq' }];
    expect(datums).toEqual([
      {
        Namespace: 'AWS/SQS',
        MetricName: 'ApproximateNumberOfMessagesVisible',
        Dimensions: queue,
        Timestamp: at,
        Unit: 'Count',
        Values: [2],
      },
      {
        Namespace: 'AWS/SQS',
        MetricName: 'ApproximateNumberOfMessagesNotVisible',
        Dimensions: queue,
        Timestamp: at,
        Unit: 'Count',
        Values: [1],
      },
      {
        Namespace: 'AWS/SQS',
        MetricName: 'ApproximateNumberOfMessagesDelayed',
        Dimensions: queue,
        Timestamp: at,
        Unit: 'Count',
        Values: [0],
      },
    ]);
  });
});

describe('the metric writer', () => {
  it('makes a failed PutMetricData call again on the next write, losing and repeating nothing', async () => {
    const sent: PutMetricDataInput[] = [];
    let failNext = true;
    const writer = new MetricWriter(async (input) => {
      if (failNext) {
        failNext = false;
        throw new Error('connection reset');
      }
      sent.push(input);
    });
    const datums = (count: number, name: string) =>
      emfLines((metrics) => {
        for (let i = 0; i < count; i++) {
          metrics.addMetric(name, MetricUnit.Count, 1);
          metrics.publishStoredMetrics();
        }
      }).flatMap(datumsOfLine);
    await expect(writer.write(datums(1500, 'First'))).rejects.toThrow('connection reset');
    expect(writer.backlog).toBe(2);
    await writer.write(datums(10, 'Second'));
    expect(writer.backlog).toBe(0);
    expect(sent.map((input) => input.MetricData.length)).toEqual([1000, 500, 10]);
    expect(sent.flatMap((input) => input.MetricData.map((datum) => datum.MetricName))).toEqual([
      ...Array(1500).fill('First'),
      ...Array(10).fill('Second'),
    ]);
  });
});
