/**
 * The Status route's answer: the stack's dashboard as it is deployed (its
 * metric widgets, read from its definition), each series' points over a
 * window, and the stack's alarms with their states. No AWS here: CloudWatch
 * is behind {@link MetricsReader}.
 */
import { parseDashboardBody } from '../../shared/dashboard/body.js';
import { periodFor } from '../../shared/dashboard/duration.js';
import type { MetricsReader } from '../../shared/dashboard/metrics-reader.js';

export interface StatusSettings {
  dashboardName: string;
  alarmNamePrefix: string;
}

export interface StatusSeries {
  label: string;
  metric: string;
  stat: string;
  dimensions: Record<string, string>;
  timestamps: string[];
  values: number[];
}

export interface StatusReport {
  dashboard: string;
  start: string;
  end: string;
  periodSeconds: number;
  widgets: { title: string; series: StatusSeries[] }[];
  alarms: { name: string; description: string; state: string; reason: string; updated?: string }[];
}

/** The dashboard's widgets with their points over the last `windowSeconds`, and the alarms. */
export async function readStatus(
  reader: MetricsReader,
  settings: StatusSettings,
  windowSeconds: number,
  now: Date,
): Promise<StatusReport> {
  const period = periodFor(windowSeconds);
  // Whole periods, so the first point covers as much time as the others.
  const start = new Date(
    Math.floor((now.getTime() - windowSeconds * 1000) / (period * 1000)) * period * 1000,
  );
  const [body, alarms] = await Promise.all([
    reader.dashboardBody(settings.dashboardName),
    reader.alarms(settings.alarmNamePrefix),
  ]);
  const widgets = parseDashboardBody(body);
  const queries = widgets.flatMap((w) => w.series.map((series) => ({ series, period })));
  const points = await reader.metricData(queries, start, now);
  let next = 0;
  return {
    dashboard: settings.dashboardName,
    start: start.toISOString(),
    end: now.toISOString(),
    periodSeconds: period,
    widgets: widgets.map((widget) => ({
      title: widget.title,
      series: widget.series.map((series) => {
        const found = points[next++] ?? { timestamps: [], values: [] };
        return {
          label: series.label,
          metric: series.metricName,
          stat: series.stat,
          dimensions: { ...series.dimensions },
          timestamps: found.timestamps.map((t) => t.toISOString()),
          values: found.values,
        };
      }),
    })),
    alarms: alarms.map((alarm) => ({
      name: alarm.name,
      description: alarm.description,
      state: alarm.state,
      reason: alarm.reason,
      ...(alarm.updated ? { updated: alarm.updated.toISOString() } : {}),
    })),
  };
}
