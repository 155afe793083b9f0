/** {@link MetricsReader} over CloudWatch (GetDashboard, GetMetricData, DescribeAlarms). */
import {
  type CloudWatchClient,
  DescribeAlarmsCommand,
  GetDashboardCommand,
  GetMetricDataCommand,
  type MetricDataQuery,
} from '@aws-sdk/client-cloudwatch';
import type { AlarmStatus, MetricPoints, MetricQuery, MetricsReader } from './metrics-reader.js';

/** GetMetricData takes at most 500 queries a call. */
const QUERIES_PER_CALL = 500;

export function cloudWatchReader(cloudwatch: CloudWatchClient): MetricsReader {
  return {
    async dashboardBody(name) {
      const { DashboardBody } = await cloudwatch.send(new GetDashboardCommand({ DashboardName: name }));
      if (!DashboardBody) throw new Error(`dashboard ${name} has no body`);
      return DashboardBody;
    },

    async metricData(queries, start, end) {
      const points = queries.map((): MetricPoints => ({ timestamps: [], values: [] }));
      for (let first = 0; first < queries.length; first += QUERIES_PER_CALL) {
        const batch = queries.slice(first, first + QUERIES_PER_CALL);
        const request: MetricDataQuery[] = batch.map((query, i) => toQuery(`q${first + i}`, query));
        let nextToken: string | undefined;
        do {
          const page = await cloudwatch.send(
            new GetMetricDataCommand({
              MetricDataQueries: request,
              StartTime: start,
              EndTime: end,
              ScanBy: 'TimestampAscending',
              NextToken: nextToken,
            }),
          );
          for (const result of page.MetricDataResults ?? []) {
            const target = points[Number(result.Id?.slice(1))];
            if (!target) continue;
            target.timestamps.push(...(result.Timestamps ?? []).map((t) => new Date(t)));
            target.values.push(...(result.Values ?? []));
          }
          nextToken = page.NextToken;
        } while (nextToken);
      }
      return points.map(oldestFirst);
    },

    async alarms(namePrefix) {
      const found: AlarmStatus[] = [];
      let nextToken: string | undefined;
      do {
        const page = await cloudwatch.send(
          new DescribeAlarmsCommand({
            AlarmNamePrefix: namePrefix,
            AlarmTypes: ['MetricAlarm', 'CompositeAlarm'],
            NextToken: nextToken,
          }),
        );
        for (const alarm of [...(page.MetricAlarms ?? []), ...(page.CompositeAlarms ?? [])]) {
          found.push({
            name: alarm.AlarmName ?? '',
            description: alarm.AlarmDescription ?? '',
            state: alarm.StateValue ?? 'INSUFFICIENT_DATA',
            reason: alarm.StateReason ?? '',
            ...(alarm.StateUpdatedTimestamp ? { updated: new Date(alarm.StateUpdatedTimestamp) } : {}),
          });
        }
        nextToken = page.NextToken;
      } while (nextToken);
      return found.sort((a, b) => a.name.localeCompare(b.name));
    },
  };
}

function toQuery(id: string, { series, period }: MetricQuery): MetricDataQuery {
  return {
    Id: id,
    Label: series.label,
    MetricStat: {
      Metric: {
        Namespace: series.namespace,
        MetricName: series.metricName,
        Dimensions: Object.entries(series.dimensions).map(([Name, Value]) => ({ Name, Value })),
      },
      Period: period,
      Stat: series.stat,
    },
    ReturnData: true,
  };
}

/** Points sorted by time: pages and emulators may give them in any order. */
function oldestFirst(points: MetricPoints): MetricPoints {
  const order = points.timestamps
    .map((_, i) => i)
    .sort((a, b) => Number(points.timestamps[a]) - Number(points.timestamps[b]));
  return {
    timestamps: order.map((i) => points.timestamps[i] as Date),
    values: order.map((i) => points.values[i] as number),
  };
}
