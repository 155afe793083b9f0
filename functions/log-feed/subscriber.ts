import { randomUUID } from 'node:crypto';
import {
  CloudWatchLogsClient,
  CreateLogStreamCommand,
  PutLogEventsCommand,
  ResourceAlreadyExistsException,
} from '@aws-sdk/client-cloudwatch-logs';
import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { eventHandler } from '../shared/event-handler.js';
import { logger } from '../shared/logger.js';
import { counted } from '../shared/request-counting.js';
import { toLogLines } from './domain/lines.js';
import { subscriberEnv } from './env.js';

const logs = counted(new CloudWatchLogsClient({}));
const logGroupName = subscriberEnv().logGroup;
const logStreamName = `${new Date().toISOString().slice(0, 10)}/${randomUUID()}`;

let streamReady: Promise<void> | undefined;

async function createStream(): Promise<void> {
  try {
    await logs.send(new CreateLogStreamCommand({ logGroupName, logStreamName }));
  } catch (error) {
    if (!(error instanceof ResourceAlreadyExistsException)) throw error;
  }
}

/**
 * The durable subscriber of the log feed: writes every log-feed message as
 * one timestamped line to the subscriber log group. A
 * failed write fails the whole batch, so SQS redelivers it (and, after
 * repeated failures, parks it in the subscriber queue's DLQ).
 */
export const handler = eventHandler(async (event: SQSEvent): Promise<SQSBatchResponse> => {
  streamReady ??= createStream().catch((error: unknown) => {
    streamReady = undefined;
    throw error;
  });
  await streamReady;
  const lines = toLogLines(
    event.Records.map((record) => ({
      body: record.body,
      receivedAt: Number(record.attributes.SentTimestamp),
    })),
  );
  await logs.send(new PutLogEventsCommand({ logGroupName, logStreamName, logEvents: lines }));
  logger.info('wrote feed lines', { count: lines.length });
  return { batchItemFailures: [] };
});
