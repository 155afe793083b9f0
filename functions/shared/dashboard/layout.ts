/**
 * What the stack's CloudWatch dashboard shows, derived from the service
 * declarations and the metrics catalogue: one row per service serving HTTP
 * routes (requests, errors, latency p50/p99), a row for RPC by calling
 * service, one for each saga and one for the dead-letter queue depths. Plain
 * data, no aws-cdk-lib: lib/dashboard.ts draws it with CDK widgets, and the
 * infra tests read it. Every series is one metric with one statistic (no
 * metric math: the local stack rejects it).
 */
import {
  DIMENSION,
  METRIC,
  METRICS_NAMESPACE,
  type MetricSpec,
  QUEUE_DEPTH_METRIC,
} from '../metrics-catalog.js';
import { type AnyService, httpServices, rpcCallers, sagaServices } from '../service.js';

/** One series: a metric, its dimensions and the statistic drawn. */
export interface SeriesSpec {
  namespace: string;
  metricName: string;
  dimensions: Readonly<Record<string, string>>;
  /** `Sum`, `Maximum`, or a percentile (`p50`, `p99`). */
  stat: string;
  label: string;
}

export interface WidgetSpec {
  title: string;
  /** What the values are, for the axis: `Count` or `Milliseconds`. */
  unit: string;
  series: readonly SeriesSpec[];
}

/** A row of the dashboard, drawn left to right. */
export interface RowSpec {
  title: string;
  widgets: readonly WidgetSpec[];
}

/** A dead-letter queue, by the name CloudWatch records its depth under and what it holds. */
export interface DeadLetterQueueRef {
  label: string;
  queueName: string;
}

const series = (
  metric: MetricSpec,
  dimensions: Record<string, string>,
  stat: string,
  label: string,
): SeriesSpec => ({ namespace: METRICS_NAMESPACE, metricName: metric.name, dimensions, stat, label });

const byService = (service: string) => ({ [DIMENSION.service]: service });

/** The row of one HTTP service: requests, errors (4xx and 5xx), latency p50 and p99. */
export function serviceRow(service: string): RowSpec {
  const dims = byService(service);
  return {
    title: service,
    widgets: [
      {
        title: `${service}: requests`,
        unit: 'Count',
        series: [series(METRIC.requests, dims, 'Sum', 'requests')],
      },
      {
        title: `${service}: errors`,
        unit: 'Count',
        series: [
          series(METRIC.clientErrors, dims, 'Sum', '4xx'),
          series(METRIC.serverErrors, dims, 'Sum', '5xx'),
        ],
      },
      {
        title: `${service}: latency`,
        unit: 'Milliseconds',
        series: [series(METRIC.latency, dims, 'p50', 'p50'), series(METRIC.latency, dims, 'p99', 'p99')],
      },
    ],
  };
}

/** Every row of the dashboard, top to bottom. */
export function dashboardRows(
  services: readonly AnyService[],
  deadLetterQueues: readonly DeadLetterQueueRef[],
): RowSpec[] {
  const rows = httpServices(services).map((s) => serviceRow(s.name));
  const callers = rpcCallers(services).map((s) => s.name);
  if (callers.length > 0) {
    const perCaller = (metric: MetricSpec, stat: string, suffix = '') =>
      callers.map((caller) => series(metric, byService(caller), stat, `${caller}${suffix}`));
    rows.push({
      title: 'RPC',
      widgets: [
        { title: 'RPC: calls by caller', unit: 'Count', series: perCaller(METRIC.rpcCalls, 'Sum') },
        { title: 'RPC: timeouts by caller', unit: 'Count', series: perCaller(METRIC.rpcTimeouts, 'Sum') },
        {
          title: 'RPC: remote errors by caller',
          unit: 'Count',
          series: perCaller(METRIC.rpcRemoteErrors, 'Sum'),
        },
        {
          title: 'RPC: latency by caller',
          unit: 'Milliseconds',
          series: [
            ...perCaller(METRIC.rpcLatency, 'p50', ' p50'),
            ...perCaller(METRIC.rpcLatency, 'p99', ' p99'),
          ],
        },
      ],
    });
  }
  for (const service of sagaServices(services)) {
    rows.push({
      title: `${service.name} saga`,
      widgets: [
        {
          title: `${service.name} saga: transitions by state`,
          unit: 'Count',
          series: (service.sagaStates ?? []).map((state) =>
            series(
              METRIC.sagaTransitions,
              { ...byService(service.name), [DIMENSION.state]: state },
              'Sum',
              state,
            ),
          ),
        },
        {
          title: `${service.name} saga: repairs`,
          unit: 'Count',
          series: [series(METRIC.sagaRepairs, byService(service.name), 'Sum', 'repairs')],
        },
      ],
    });
  }
  if (deadLetterQueues.length > 0) {
    rows.push({
      title: 'Dead-letter queues',
      widgets: [
        {
          title: 'Dead-letter queues: messages waiting',
          unit: 'Count',
          series: deadLetterQueues.map((q) => ({
            namespace: QUEUE_DEPTH_METRIC.namespace,
            metricName: QUEUE_DEPTH_METRIC.name,
            dimensions: { [QUEUE_DEPTH_METRIC.dimension]: q.queueName },
            stat: 'Maximum',
            label: q.label,
          })),
        },
      ],
    });
  }
  return rows;
}
