import { beforeEach, describe, expect, it } from 'vitest';
import { flushMetrics, recordMetric } from '../../../functions/shared/metrics.js';
import { METRIC } from '../../../functions/shared/metrics-catalog.js';
import { sumOf, takeEmf, valuesOf } from '../../support/emf.js';

// The unit project runs as service `unit` (vitest.config.ts).
const SERVICE = { service: 'unit' };

beforeEach(() => {
  flushMetrics();
  takeEmf();
});

describe('the shared metrics module', () => {
  it('drops a dimension the catalogue does not give the metric', () => {
    recordMetric(METRIC.sagaRepairs, 2, { operation: 'bookings.create', state: 'pending' });
    flushMetrics();
    const emf = takeEmf();
    expect(emf).toHaveLength(1);
    expect(emf[0]?._aws.CloudWatchMetrics[0]?.Dimensions).toEqual([['service']]);
    expect(sumOf(emf, 'SagaRepairs', SERVICE)).toBe(2);
  });

  it('sums counts and keeps every timing, and writes nothing when nothing was recorded', () => {
    flushMetrics();
    expect(takeEmf()).toEqual([]);
    for (const ms of [3, 5, 8]) {
      recordMetric(METRIC.requests, 1, { operation: 'unit.a' });
      recordMetric(METRIC.latency, ms, { operation: 'unit.a' });
    }
    flushMetrics();
    const emf = takeEmf();
    expect(emf).toHaveLength(1);
    expect(emf[0]).toMatchObject({ Requests: 3, Latency: [3, 5, 8] });
  });

  it('writes more than 99 timings of one group over several lines, each with its dimensions', () => {
    const by = { operation: 'users.get' };
    recordMetric(METRIC.rpcCalls, 150, by);
    for (let i = 0; i < 150; i++) recordMetric(METRIC.rpcLatency, i, by);
    flushMetrics();
    const emf = takeEmf();
    expect(emf).toHaveLength(2);
    expect(valuesOf(emf, 'RpcLatency', { ...SERVICE, ...by })).toEqual(
      Array.from({ length: 150 }, (_, i) => i),
    );
    expect(valuesOf(emf, 'RpcLatency', SERVICE)).toHaveLength(150);
    expect(sumOf(emf, 'RpcCalls', { ...SERVICE, ...by })).toBe(150);
  });
});
