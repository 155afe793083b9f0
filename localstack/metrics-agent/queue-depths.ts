/**
 * The SQS metrics CloudWatch publishes by itself on AWS (namespace AWS/SQS,
 * dimension QueueName, once a minute), which MiniStack does not: the local
 * CloudWatch agent records them from each queue's attributes.
 */
import type { Datum } from './emf.js';

/** CloudWatch's SQS metrics period: the agent records the depths this often. */
export const QUEUE_DEPTH_PERIOD_MS = 60_000;

/** The AWS/SQS metric each queue attribute is published as. */
export const QUEUE_DEPTH_METRICS = {
  ApproximateNumberOfMessages: 'ApproximateNumberOfMessagesVisible',
  ApproximateNumberOfMessagesNotVisible: 'ApproximateNumberOfMessagesNotVisible',
  ApproximateNumberOfMessagesDelayed: 'ApproximateNumberOfMessagesDelayed',
} as const;

export type QueueAttribute = keyof typeof QUEUE_DEPTH_METRICS;

/** The queue's name: the last segment of its URL. */
export function queueNameOf(queueUrl: string): string {
  return queueUrl.slice(queueUrl.lastIndexOf('/') + 1);
}

/** The AWS/SQS datums of one queue's attributes, at `timestamp`; attributes it lacks are left out. */
export function queueDepthDatums(
  queueUrl: string,
  attributes: Partial<Record<string, string>>,
  timestamp: Date,
): Datum[] {
  const datums: Datum[] = [];
  for (const [attribute, metric] of Object.entries(QUEUE_DEPTH_METRICS)) {
    const value = Number(attributes[attribute]);
    if (attributes[attribute] === undefined || !Number.isFinite(value)) continue;
    datums.push({
      Namespace: 'AWS/SQS',
      MetricName: metric,
      Dimensions: [{ Name: 'QueueName', Value: queueNameOf(queueUrl) }],
      Timestamp: timestamp,
      Unit: 'Count',
      Values: [value],
    });
  }
  return datums;
}
