import { type CloudWatchClient, GetMetricDataCommand } from '@aws-sdk/client-cloudwatch';

/** One metric: its namespace, name and exact dimension set. */
export interface MetricId {
  namespace: string;
  name: string;
  dimensions: Record<string, string>;
}

/**
 * A statistic of a metric over `since` .. an hour from now, read with
 * GetMetricData: `Sum` adds up every period, `Maximum` takes the largest;
 * undefined when there is no data point yet.
 */
export async function metricStatistic(
  cloudWatch: CloudWatchClient,
  metric: MetricId,
  since: Date,
  stat: 'Sum' | 'Maximum' = 'Sum',
): Promise<number | undefined> {
  const { MetricDataResults = [] } = await cloudWatch.send(
    new GetMetricDataCommand({
      StartTime: since,
      EndTime: new Date(Date.now() + 3_600_000),
      MetricDataQueries: [
        {
          Id: 'm',
          MetricStat: {
            Metric: {
              Namespace: metric.namespace,
              MetricName: metric.name,
              Dimensions: Object.entries(metric.dimensions).map(([Name, Value]) => ({ Name, Value })),
            },
            Period: 60,
            Stat: stat,
          },
        },
      ],
    }),
  );
  const values = MetricDataResults[0]?.Values ?? [];
  if (values.length === 0) return undefined;
  return stat === 'Sum' ? values.reduce((sum, value) => sum + value, 0) : Math.max(...values);
}
