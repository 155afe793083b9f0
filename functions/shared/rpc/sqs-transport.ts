import {
  CreateQueueCommand,
  DeleteMessageBatchCommand,
  QueueDoesNotExist,
  ReceiveMessageCommand,
  SendMessageCommand,
  SQSClient,
  TagQueueCommand,
} from '@aws-sdk/client-sqs';
import { counted } from '../request-counting.js';
import { sqsTraceFields } from '../trace/carriers.js';
import { activeSpan } from '../trace/span.js';
import { HEARTBEAT_TAG, type RpcTransport } from './transport.js';

/** The function's one SQS client, shared by everything in it that talks to queues. */
export const sqs = counted(new SQSClient({}));

/** Replies are useless after their caller's deadline; keep them no longer than this. */
const REPLY_RETENTION_SECONDS = 300;

/**
 * SQS documents that a new queue may not be usable for about a second: a
 * send to or receive from a queue that "does not exist" is retried this long
 * before the error counts (a reply queue made at cold start, a server
 * answering it at once).
 */
export const NEW_QUEUE_GRACE_MS = 2_000;

const missingQueue = (error: unknown) =>
  error instanceof QueueDoesNotExist ||
  (error as { name?: string }).name === 'AWS.SimpleQueueService.NonExistentQueue';

async function tolerateNewQueue<T>(operation: () => Promise<T>): Promise<T> {
  const giveUpAt = Date.now() + NEW_QUEUE_GRACE_MS;
  for (;;) {
    try {
      return await operation();
    } catch (error) {
      if (!missingQueue(error) || Date.now() > giveUpAt) throw error;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
}

/**
 * {@link RpcTransport} over SQS. A message sent while a span is active (an
 * RPC call's, a server's reply) carries its context in SQS's own attributes
 * too (`traceparent`, `AWSTraceHeader`), beside the envelope's field.
 */
export const sqsTransport: RpcTransport = {
  async send(queueUrl, body) {
    await tolerateNewQueue(() =>
      sqs.send(
        new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: body, ...sqsTraceFields(activeSpan()) }),
      ),
    );
  },

  async receive(queueUrl, waitSeconds) {
    const { Messages = [] } = await tolerateNewQueue(() =>
      sqs.send(
        new ReceiveMessageCommand({
          QueueUrl: queueUrl,
          WaitTimeSeconds: waitSeconds,
          MaxNumberOfMessages: 10,
        }),
      ),
    );
    return Messages.map((m) => ({ body: m.Body ?? '', receipt: m.ReceiptHandle ?? '' }));
  },

  async delete(queueUrl, receipts) {
    for (let i = 0; i < receipts.length; i += 10) {
      await sqs.send(
        new DeleteMessageBatchCommand({
          QueueUrl: queueUrl,
          Entries: receipts.slice(i, i + 10).map((ReceiptHandle, j) => ({ Id: String(j), ReceiptHandle })),
        }),
      );
    }
  },

  async createReplyQueue(name) {
    const { QueueUrl } = await sqs.send(
      new CreateQueueCommand({
        QueueName: name.slice(0, 80),
        Attributes: { MessageRetentionPeriod: String(REPLY_RETENTION_SECONDS) },
        tags: { purpose: 'rpc-reply', [HEARTBEAT_TAG]: new Date().toISOString() },
      }),
    );
    if (!QueueUrl) throw new Error(`CreateQueue ${name} returned no URL`);
    return QueueUrl;
  },

  async touch(queueUrl) {
    try {
      await sqs.send(
        new TagQueueCommand({ QueueUrl: queueUrl, Tags: { [HEARTBEAT_TAG]: new Date().toISOString() } }),
      );
      return true;
    } catch (error) {
      if (missingQueue(error)) return false;
      throw error;
    }
  },
};
