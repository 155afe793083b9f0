import { Duration } from 'aws-cdk-lib';
import { type IGrantable, PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { type IQueue, Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
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

/**
 * Lets a function send to a queue and nothing more: the code sends to URLs it
 * is given (queue.grantSendMessages would add GetQueueAttributes and GetQueueUrl).
 * The queues use SQS-managed encryption, so no key grant is needed.
 */
export function grantSend(queue: IQueue, grantee: IGrantable): void {
  grantee.grantPrincipal.addToPrincipalPolicy(
    new PolicyStatement({ actions: ['sqs:SendMessage'], resources: [queue.queueArn] }),
  );
}
