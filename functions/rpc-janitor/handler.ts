import {
  DeleteQueueCommand,
  ListQueuesCommand,
  ListQueueTagsCommand,
  QueueDoesNotExist,
  SQSClient,
} from '@aws-sdk/client-sqs';
import { eventHandler } from '../shared/event-handler.js';
import { logger } from '../shared/logger.js';
import { counted } from '../shared/request-counting.js';
import { HEARTBEAT_TAG } from '../shared/rpc/transport.js';
import { staleReplyQueues } from './domain/stale.js';
import { janitorEnv } from './env.js';

const sqs = counted(new SQSClient({}));
const env = janitorEnv();

/**
 * Runs on a schedule: deletes the RPC reply queues of this stack's execution
 * environments that went away (no heartbeat for 15 minutes). Only names with
 * this stack's prefix are listed, and IAM allows no other. A live environment whose
 * queue is removed after a long idle simply makes a new one.
 */
export const handler = eventHandler(async (): Promise<{ deleted: string[] }> => {
  const queues: Array<{ url: string; heartbeat?: string }> = [];
  let nextToken: string | undefined;
  do {
    const page = await sqs.send(
      new ListQueuesCommand({
        QueueNamePrefix: env.RPC_REPLY_QUEUE_PREFIX,
        MaxResults: 1000,
        NextToken: nextToken,
      }),
    );
    for (const url of page.QueueUrls ?? []) {
      const { Tags } = await sqs.send(new ListQueueTagsCommand({ QueueUrl: url }));
      queues.push({ url, heartbeat: Tags?.[HEARTBEAT_TAG] });
    }
    nextToken = page.NextToken;
  } while (nextToken);

  const deleted: string[] = [];
  for (const url of staleReplyQueues(queues, Date.now())) {
    try {
      await sqs.send(new DeleteQueueCommand({ QueueUrl: url }));
      deleted.push(url);
    } catch (error) {
      if (!(error instanceof QueueDoesNotExist)) throw error;
    }
  }
  logger.info('reply queues cleaned', { checked: queues.length, deleted: deleted.length });
  return { deleted };
});
