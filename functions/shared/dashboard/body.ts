/**
 * Reads a CloudWatch dashboard's body (the JSON GetDashboard returns) back
 * into its metric widgets and their series, so the Status route and
 * `npm run stats` show the dashboard the stack deployed, whatever it holds.
 * Follows CloudWatch's dashboard body structure: a metric widget's
 * `properties.metrics` is a list of arrays `[namespace, name, dimName,
 * dimValue, ..., {stat, label, period}]`, where `"."` repeats the value at
 * the same place in the previous array; the widget's own `stat` and `period`
 * are the defaults. Expressions (metric math) are skipped.
 */
import type { SeriesSpec } from './layout.js';

/** A series as the dashboard draws it. */
export interface DashboardSeries extends SeriesSpec {
  /** The series' own period in seconds, if the dashboard sets one. */
  period?: number;
}

export interface DashboardWidget {
  title: string;
  /** Where the widget sits: the dashboard's rows (y) and columns (x). */
  x: number;
  y: number;
  series: DashboardSeries[];
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const text = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);
const num = (value: unknown): number | undefined => (typeof value === 'number' ? value : undefined);

/** The metric widgets of a dashboard body, top to bottom and left to right; throws on a body that is not JSON. */
export function parseDashboardBody(body: string): DashboardWidget[] {
  const parsed: unknown = JSON.parse(body);
  const widgets = isRecord(parsed) && Array.isArray(parsed.widgets) ? parsed.widgets : [];
  const found: DashboardWidget[] = [];
  for (const widget of widgets) {
    if (!isRecord(widget) || widget.type !== 'metric' || !isRecord(widget.properties)) continue;
    const props = widget.properties;
    const metrics = Array.isArray(props.metrics) ? props.metrics : [];
    const series: DashboardSeries[] = [];
    let previous: unknown[] = [];
    for (const entry of metrics) {
      if (!Array.isArray(entry)) continue;
      const options = isRecord(entry[entry.length - 1])
        ? (entry[entry.length - 1] as Record<string, unknown>)
        : {};
      const parts = (isRecord(entry[entry.length - 1]) ? entry.slice(0, -1) : entry).map((part, i) =>
        part === '.' ? previous[i] : part,
      );
      previous = parts;
      if ('expression' in options) continue;
      const [namespace, metricName, ...pairs] = parts.map(text);
      if (!namespace || !metricName || pairs.some((p) => p === undefined) || pairs.length % 2 !== 0) continue;
      const dimensions: Record<string, string> = {};
      for (let i = 0; i < pairs.length; i += 2) dimensions[pairs[i] as string] = pairs[i + 1] as string;
      const stat = text(options.stat) ?? text(props.stat) ?? 'Average';
      const period = num(options.period) ?? num(props.period);
      series.push({
        namespace,
        metricName,
        dimensions,
        stat,
        label: text(options.label) ?? `${metricName} ${stat}`,
        ...(period ? { period } : {}),
      });
    }
    if (series.length === 0) continue;
    found.push({
      title: text(props.title) ?? series.map((s) => s.label).join(', '),
      x: num(widget.x) ?? 0,
      y: num(widget.y) ?? 0,
      series,
    });
  }
  return found.sort((a, b) => a.y - b.y || a.x - b.x);
}
