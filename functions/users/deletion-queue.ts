import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import { SendMessageCommand } from '@aws-sdk/client-sqs';
import type { SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { sqs } from '../shared/rpc/sqs-transport.js';
import { type EraseMessage, type EraseQueue, eraseMessage } from './domain/deletion.js';

/** Delayed erasures on the users service's own `deletions` queue (SQS delays a message up to 15 minutes). */
export function sqsEraseQueue(queueUrl: string): EraseQueue {
  return {
    async eraseLater(message, delaySeconds) {
      await sqs.send(
        new SendMessageCommand({
          QueueUrl: queueUrl,
          MessageBody: JSON.stringify(message),
          DelaySeconds: delaySeconds,
        }),
      );
    },
  };
}

/**
 * The consumer of the deletions queue (Powertools batch, partial failures):
 * each record is one person's delayed erasure; a record that is not one, or
 * whose step failed, is retried by SQS and then parked in the DLQ.
 */
export function eraseQueueConsumer(
  eraseFor: (requestId: string) => (message: EraseMessage) => Promise<unknown>,
) {
  const processor = new BatchProcessor(EventType.SQS);
  const step = async (record: SQSRecord) =>
    eraseFor(record.messageId)(eraseMessage.parse(JSON.parse(record.body)));
  return (event: SQSEvent): Promise<SQSBatchResponse> =>
    processPartialResponse(event, step, processor, {
      processInParallel: true,
      throwOnFullBatchFailure: false,
    });
}
