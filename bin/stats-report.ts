/**
 * What `npm run stats` prints, apart from where it reads it: per service of
 * the dashboard, its requests, errors (4xx + 5xx) and latency p50 and p99
 * over the window, from the same series the dashboard draws. Pure, so it is
 * unit-tested.
 */
import type { DashboardSeries, DashboardWidget } from '../functions/shared/dashboard/body.js';
import { formatDuration } from '../functions/shared/dashboard/duration.js';
import type { MetricPoints, MetricQuery } from '../functions/shared/dashboard/metrics-reader.js';
import { DIMENSION, METRIC, METRICS_NAMESPACE } from '../functions/shared/metrics-catalog.js';

/** The figures of one service and the series each is read from. */
const FIGURES = {
  requests: { metric: METRIC.requests.name, stat: 'Sum' },
  clientErrors: { metric: METRIC.clientErrors.name, stat: 'Sum' },
  serverErrors: { metric: METRIC.serverErrors.name, stat: 'Sum' },
  p50: { metric: METRIC.latency.name, stat: 'p50' },
  p99: { metric: METRIC.latency.name, stat: 'p99' },
} as const;
type Figure = keyof typeof FIGURES;

/** One query per figure per service, each over the whole window as one period. */
export interface StatsPlan {
  services: string[];
  queries: MetricQuery[];
  /** Which service and figure each query is for. */
  targets: Array<{ service: string; figure: Figure }>;
}

export interface ServiceStats {
  service: string;
  requests: number;
  errors: number;
  /** Milliseconds; undefined without requests in the window. */
  p50: number | undefined;
  p99: number | undefined;
}

/** A whole number of minutes covering the window: the period that gives one point over it. */
export const windowPeriod = (windowSeconds: number) => Math.ceil(windowSeconds / 60) * 60;

/** The services the dashboard has a row for (series under `{service}` alone), and the series to read for each. */
export function planStats(widgets: readonly DashboardWidget[], windowSeconds: number): StatsPlan {
  const isServiceSeries = (s: DashboardSeries) =>
    s.namespace === METRICS_NAMESPACE &&
    Object.keys(s.dimensions).length === 1 &&
    s.dimensions[DIMENSION.service] !== undefined;
  const plan: StatsPlan = { services: [], queries: [], targets: [] };
  for (const series of widgets.flatMap((w) => w.series).filter(isServiceSeries)) {
    const figure = (Object.keys(FIGURES) as Figure[]).find(
      (f) => FIGURES[f].metric === series.metricName && FIGURES[f].stat === series.stat,
    );
    const service = series.dimensions[DIMENSION.service] as string;
    if (!figure || plan.targets.some((t) => t.service === service && t.figure === figure)) continue;
    if (!plan.services.includes(service)) plan.services.push(service);
    plan.queries.push({ series, period: windowPeriod(windowSeconds) });
    plan.targets.push({ service, figure });
  }
  return plan;
}

/**
 * Each service's figures from the points of its queries. Counts add up over
 * the points; a percentile comes as one point over the window on AWS, and
 * where the window straddles two periods (the local stack aligns periods to
 * the epoch) the larger is kept, an upper bound.
 */
export function collectStats(plan: StatsPlan, points: readonly MetricPoints[]): ServiceStats[] {
  const stats = new Map<string, ServiceStats>(
    plan.services.map((service) => [
      service,
      { service, requests: 0, errors: 0, p50: undefined, p99: undefined },
    ]),
  );
  plan.targets.forEach(({ service, figure }, i) => {
    const values = points[i]?.values ?? [];
    const row = stats.get(service) as ServiceStats;
    const sum = values.reduce((a, b) => a + b, 0);
    if (figure === 'requests') row.requests = sum;
    else if (figure === 'clientErrors' || figure === 'serverErrors') row.errors += sum;
    else if (values.length > 0) row[figure] = Math.max(...values);
  });
  return [...stats.values()];
}

const ms = (value: number | undefined) => (value === undefined ? '-' : value.toFixed(1));

/** The table `npm run stats` prints: a title line, a header, a line per service. */
export function formatStats(
  stats: readonly ServiceStats[],
  dashboard: string,
  windowSeconds: number,
  end: Date,
): string {
  const start = new Date(end.getTime() - windowSeconds * 1000);
  const clock = (d: Date) => d.toISOString().slice(11, 19);
  const rows = [
    ['service', 'requests', 'errors', 'p50 ms', 'p99 ms'],
    ...stats.map((s) => [s.service, String(s.requests), String(s.errors), ms(s.p50), ms(s.p99)]),
  ];
  const widths = rows[0]?.map((_, col) => Math.max(...rows.map((row) => (row[col] ?? '').length))) ?? [];
  const lines = rows.map((row) =>
    row
      .map((cell, col) => (col === 0 ? cell.padEnd(widths[col] ?? 0) : cell.padStart(widths[col] ?? 0)))
      .join('  '),
  );
  return [
    `${dashboard}: last ${formatDuration(windowSeconds)} (${clock(start)} to ${clock(end)} UTC)`,
    ...lines,
  ].join('\n');
}
