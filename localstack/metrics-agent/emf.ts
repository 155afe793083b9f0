/**
 * The EMF step of the local stack's CloudWatch agent: what CloudWatch Logs
 * does on AWS with a log line in the embedded metric format
 * (https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/CloudWatch_Embedded_Metric_Format_Specification.html),
 * as PutMetricData datums, and those datums in PutMetricData calls within its
 * limits. No SDK calls (only its unit names), so it is unit-tested on lines Powertools writes.
 */
import { StandardUnit } from '@aws-sdk/client-cloudwatch';

const UNITS = new Set<string>(Object.values(StandardUnit));

/** One metric datum, in the shape of PutMetricData's `MetricData[]` (plus its namespace). */
export interface Datum {
  Namespace: string;
  MetricName: string;
  Dimensions: { Name: string; Value: string }[];
  /** Milliseconds since the epoch: the line's `_aws.Timestamp`. */
  Timestamp: Date;
  Unit: StandardUnit;
  /** Every value the line gives the metric (EMF allows an array), each counted once. */
  Values: number[];
  StorageResolution?: number;
}

/** One PutMetricData call. */
export interface PutMetricDataInput {
  Namespace: string;
  MetricData: Omit<Datum, 'Namespace'>[];
}

/** PutMetricData's limits: 1,000 datums and 1 MB a call; 150 values a datum. */
export const PUT_LIMITS = { datums: 1000, bytes: 1_000_000, valuesPerDatum: 150 } as const;

type Json = Record<string, unknown>;
const isObject = (value: unknown): value is Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value);
const isFiniteNumber = (value: unknown): value is number =>
  typeof value === 'number' && Number.isFinite(value);

/** A metric's values on the line: a number, or an array of numbers; undefined when it is neither. */
function valuesOf(value: unknown): number[] | undefined {
  if (isFiniteNumber(value)) return [value];
  if (Array.isArray(value) && value.length > 0 && value.every(isFiniteNumber)) return value;
  return undefined;
}

/**
 * The datums of one log line: every metric of every directive, once per
 * dimension set, with the line's timestamp. A line that is not an EMF
 * document (not JSON, no `_aws.CloudWatchMetrics`, no numeric timestamp)
 * gives none; so does a metric whose value is not a number or an array of
 * numbers, and a dimension set naming a member that is not a string (the
 * rules CloudWatch applies; it drops what breaks them).
 */
export function datumsOfLine(message: string): Datum[] {
  const text = message.trim();
  if (!text.startsWith('{')) return [];
  let document: unknown;
  try {
    document = JSON.parse(text);
  } catch {
    return [];
  }
  if (!isObject(document) || !isObject(document._aws)) return [];
  const { Timestamp, CloudWatchMetrics } = document._aws;
  if (!isFiniteNumber(Timestamp) || !Array.isArray(CloudWatchMetrics)) return [];
  const timestamp = new Date(Timestamp);
  const datums: Datum[] = [];
  for (const directive of CloudWatchMetrics) {
    if (!isObject(directive) || typeof directive.Namespace !== 'string' || !Array.isArray(directive.Metrics))
      continue;
    const sets = Array.isArray(directive.Dimensions) ? directive.Dimensions : [];
    // No dimension set at all: the metrics are recorded without dimensions.
    const dimensionSets = (sets.length > 0 ? sets : [[]])
      .filter((set): set is string[] => Array.isArray(set) && set.every((name) => typeof name === 'string'))
      .map((set) => set.map((name) => ({ Name: name, Value: document[name] })))
      .filter((set): set is Datum['Dimensions'] => set.every(({ Value }) => typeof Value === 'string'));
    for (const metric of directive.Metrics) {
      if (!isObject(metric) || typeof metric.Name !== 'string') continue;
      const values = valuesOf(document[metric.Name]);
      if (!values) continue;
      // A unit CloudWatch does not know is recorded as None rather than failing the whole call.
      const unit =
        typeof metric.Unit === 'string' && UNITS.has(metric.Unit) ? (metric.Unit as StandardUnit) : 'None';
      const resolution = metric.StorageResolution === 1 ? { StorageResolution: 1 } : {};
      for (const dimensions of dimensionSets)
        datums.push({
          Namespace: directive.Namespace,
          MetricName: metric.Name,
          Dimensions: dimensions,
          Timestamp: timestamp,
          Unit: unit,
          Values: values,
          ...resolution,
        });
    }
  }
  return datums;
}

/** A generous estimate of a datum's size on the wire (JSON; the SDK's CBOR is smaller). */
function datumBytes(datum: Omit<Datum, 'Namespace'>): number {
  return JSON.stringify(datum).length + 64;
}

/**
 * The datums as PutMetricData calls: one namespace per call, at most 1,000
 * datums and 1 MB each, a datum with more than 150 values split into several
 * (each value still counted once). Order is kept within a namespace.
 */
export function putMetricDataInputs(datums: readonly Datum[]): PutMetricDataInput[] {
  const byNamespace = new Map<string, Omit<Datum, 'Namespace'>[]>();
  for (const { Namespace, ...datum } of datums) {
    const list = byNamespace.get(Namespace) ?? [];
    for (let i = 0; i < datum.Values.length; i += PUT_LIMITS.valuesPerDatum)
      list.push({ ...datum, Values: datum.Values.slice(i, i + PUT_LIMITS.valuesPerDatum) });
    byNamespace.set(Namespace, list);
  }
  const inputs: PutMetricDataInput[] = [];
  for (const [Namespace, list] of byNamespace) {
    let batch: Omit<Datum, 'Namespace'>[] = [];
    let bytes = 0;
    for (const datum of list) {
      const size = datumBytes(datum);
      if (batch.length === PUT_LIMITS.datums || (batch.length > 0 && bytes + size > PUT_LIMITS.bytes)) {
        inputs.push({ Namespace, MetricData: batch });
        batch = [];
        bytes = 0;
      }
      batch.push(datum);
      bytes += size;
    }
    if (batch.length > 0) inputs.push({ Namespace, MetricData: batch });
  }
  return inputs;
}
