import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';

/**
 * CloudWatch metrics in EMF, written to the log rather than sent by API call:
 * a timer and counters per operation (see {@link measured}). Namespace from
 * POWERTOOLS_METRICS_NAMESPACE.
 */
const metrics = new Metrics();

export type SearchKind = 'point' | 'name' | 'point+name';

export function searchKind(q: { lat?: number; query?: string }): SearchKind {
  if (q.lat === undefined) return 'name';
  return q.query === undefined ? 'point' : 'point+name';
}

/** Times one operation and emits `<name>_time`, `<name>_count` and any extra counts, flushed at once. */
export async function measured<T>(
  name: string,
  dimensions: Record<string, string>,
  run: () => Promise<T>,
  counts: (result: T) => Record<string, number> = () => ({}),
): Promise<T> {
  const started = performance.now();
  const result = await run();
  for (const [key, value] of Object.entries(dimensions)) metrics.addDimension(key, value);
  metrics.addMetric(`${name}_time`, MetricUnit.Milliseconds, performance.now() - started);
  metrics.addMetric(`${name}_count`, MetricUnit.Count, 1);
  for (const [key, value] of Object.entries(counts(result))) metrics.addMetric(key, MetricUnit.Count, value);
  metrics.publishStoredMetrics();
  return result;
}
