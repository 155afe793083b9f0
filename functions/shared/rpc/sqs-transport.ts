import {
  CreateQueueCommand,
  DeleteMessageBatchCommand,
  ReceiveMessageCommand,
  SendMessageCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import type { RpcTransport } from './transport.js';

const sqs = new SQSClient({});

/** Replies are useless after their caller's deadline; keep them no longer than this. */
const REPLY_RETENTION_SECONDS = 300;

/** {@link RpcTransport} over SQS. */
export const sqsTransport: RpcTransport = {
  async send(queueUrl, body) {
    await sqs.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: body }));
  },

  async receive(queueUrl, waitSeconds) {
    const { Messages = [] } = await sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: queueUrl,
        WaitTimeSeconds: waitSeconds,
        MaxNumberOfMessages: 10,
      }),
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
        tags: { purpose: 'rpc-reply', created: new Date().toISOString() },
      }),
    );
    if (!QueueUrl) throw new Error(`CreateQueue ${name} returned no URL`);
    return QueueUrl;
  },
};
