/**
 * The port through which the Status route and `npm run stats` read
 * CloudWatch: a dashboard's body, metric data and alarms. One adapter
 * (./cloudwatch-reader.ts); unit tests use fakes.
 */
import type { SeriesSpec } from './layout.js';

/** One query: a series over fixed periods. */
export interface MetricQuery {
  series: SeriesSpec;
  /** Seconds, a multiple of 60. */
  period: number;
}

/** A series' points, oldest first. */
export interface MetricPoints {
  timestamps: Date[];
  values: number[];
}

/** An alarm as DescribeAlarms tells it. */
export interface AlarmStatus {
  name: string;
  description: string;
  /** `OK`, `ALARM` or `INSUFFICIENT_DATA`. */
  state: string;
  reason: string;
  /** When the state last changed. */
  updated?: Date;
}

export interface MetricsReader {
  /** The body of a dashboard (GetDashboard). */
  dashboardBody(name: string): Promise<string>;
  /** Each query's points between start and end, in the order of the queries. */
  metricData(queries: readonly MetricQuery[], start: Date, end: Date): Promise<MetricPoints[]>;
  /** Every metric and composite alarm whose name starts with the prefix. */
  alarms(namePrefix: string): Promise<AlarmStatus[]>;
}
