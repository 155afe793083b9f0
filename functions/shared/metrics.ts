/**
 * The metrics of a function: the one Powertools Metrics instance, and what
 * every part of a function (the HTTP middleware, the RPC client and server,
 * the saga, the feeds) records through it, by the names of the catalogue
 * (./metrics-catalog.ts). Namespace from POWERTOOLS_METRICS_NAMESPACE, the
 * `service` dimension from POWERTOOLS_SERVICE_NAME: the function construct
 * sets both on every function.
 *
 * An EMF document carries one value per dimension, so measurements are kept
 * in groups by their extra dimension (`operation=bookings.create`,
 * `state=confirmed`, or none) and each group is written as one EMF line when
 * the invocation ends ({@link flushMetrics}): one line per group, not one per
 * measurement. A group's metrics are recorded under `{service}` and under
 * `{service, <its dimension>}`. Counts are summed within a group; timings
 * keep every value (EMF takes a list).
 */
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import type { Context } from 'aws-lambda';
import type { DIMENSION, MetricSpec } from './metrics-catalog.js';

/** The function's one Metrics instance (Powertools reads its namespace and service from the environment). */
export const metrics = new Metrics();

/** The extra dimension of a measurement; kept only where the metric's `alsoBy` names it. */
export type MetricDimensions = Partial<Record<keyof typeof DIMENSION, string>>;

interface Group {
  readonly dimensions: Readonly<Record<string, string>>;
  readonly counts: Map<MetricSpec, number>;
  readonly timings: Map<MetricSpec, number[]>;
}

/**
 * What this invocation recorded and has not written yet. Lambda runs one
 * invocation at a time per execution environment, so one buffer per module is
 * one per invocation.
 */
const groups = new Map<string, Group>();

/** Powertools writes a line as soon as a metric holds 100 values (without our dimensions): stay below. */
const VALUES_PER_LINE = 99;

/**
 * Records one measurement: a count (summed) or a time in milliseconds, under
 * `{service}`, and under `{service, <dimension>}` for each dimension given
 * that the metric's catalogue entry lists in `alsoBy` (others are ignored, so
 * no caller can add a dimension the dashboards and alarms do not know).
 */
export function recordMetric(metric: MetricSpec, value: number, by: MetricDimensions = {}): void {
  const dimensions = Object.fromEntries(
    (metric.alsoBy ?? []).flatMap((name) => (by[name] ? [[name, by[name]]] : [])),
  );
  const key = JSON.stringify(dimensions);
  let group = groups.get(key);
  if (!group) {
    group = { dimensions, counts: new Map(), timings: new Map() };
    groups.set(key, group);
  }
  if (metric.unit === 'Count') {
    group.counts.set(metric, (group.counts.get(metric) ?? 0) + value);
    return;
  }
  const values = group.timings.get(metric);
  if (values) values.push(value);
  else group.timings.set(metric, [value]);
}

/** Writes what was recorded as EMF lines on stdout (one per group), and forgets it. */
export function flushMetrics(): void {
  const pending = [...groups.values()];
  groups.clear();
  for (const { dimensions, counts, timings } of pending) {
    const longest = Math.max(0, ...[...timings.values()].map((values) => values.length));
    for (let line = 0; line === 0 || line * VALUES_PER_LINE < longest; line++) {
      if (Object.keys(dimensions).length > 0) {
        metrics.addDimensions(dimensions);
        // An empty set is the default dimensions alone: `{service}` beside `{service, <dimension>}`.
        metrics.addDimensions({});
      }
      if (line === 0)
        for (const [metric, total] of counts) metrics.addMetric(metric.name, unitOf(metric), total);
      for (const [metric, values] of timings)
        for (const value of values.slice(line * VALUES_PER_LINE, (line + 1) * VALUES_PER_LINE))
          metrics.addMetric(metric.name, unitOf(metric), value);
      if (metrics.hasStoredMetrics()) metrics.publishStoredMetrics();
      else metrics.clearDimensions();
    }
  }
}

const unitOf = (metric: MetricSpec) => (metric.unit === 'Count' ? MetricUnit.Count : MetricUnit.Milliseconds);

/** Writes Powertools' `ColdStart` metric (`{service, function_name}`) on an execution environment's first invocation. */
export function captureColdStart(context: Context | undefined): void {
  metrics.captureColdStartMetric(context?.functionName);
}

/**
 * Wraps a Lambda handler that is not an HTTP one (queues, schedules,
 * authorizers, triggers): its cold start is counted, and what it recorded is
 * written when it returns or throws, once per invocation (a whole batch).
 */
export function withMetrics<Event, Result>(
  handler: (event: Event, context: Context) => Promise<Result>,
): (event: Event, context: Context) => Promise<Result> {
  return async (event, context) => {
    captureColdStart(context);
    try {
      return await handler(event, context);
    } finally {
      flushMetrics();
    }
  };
}
