import { Duration } from 'aws-cdk-lib';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';

/** How many failed receives move a message to a dead-letter queue. */
export const MAX_RECEIVE_COUNT = 5;

/** A queue with its dead-letter queue, the only way queues are made in this app. */
export function queueWithDlq(
  scope: Construct,
  id: string,
  visibilityTimeout = Duration.seconds(30),
  maxReceiveCount = MAX_RECEIVE_COUNT,
): QueueWithDlq {
  const deadLetterQueue = new Queue(scope, `${id}-dlq`, {
    retentionPeriod: Duration.days(14),
    encryption: QueueEncryption.SQS_MANAGED,
    enforceSSL: true,
  });
  const queue = new Queue(scope, id, {
    retentionPeriod: Duration.days(14),
    visibilityTimeout,
    encryption: QueueEncryption.SQS_MANAGED,
    enforceSSL: true,
    deadLetterQueue: { queue: deadLetterQueue, maxReceiveCount },
  });
  return { queue, deadLetterQueue };
}

export interface QueueWithDlq {
  queue: Queue;
  deadLetterQueue: Queue;
}
