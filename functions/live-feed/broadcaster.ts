import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { parseFeedMessage } from '../shared/log-feed/event.js';
import { logger } from '../shared/logger.js';
import { broadcast } from './domain/listeners.js';
import { dynamoListenerStore } from './dynamo-store.js';
import { broadcasterEnv, connectionsTable } from './env.js';
import { managementApiPoster } from './management-api.js';

const env = broadcasterEnv();
const store = dynamoListenerStore(connectionsTable());
const poster = managementApiPoster({
  callbackUrl: env.LIVE_FEED_CALLBACK_URL,
  apiId: env.LIVE_FEED_API_ID,
  stage: env.LIVE_FEED_STAGE,
  endpoint: process.env.AWS_ENDPOINT_URL,
});

/**
 * Fed by the log-feed topic through a queue, up to 10 messages a batch: posts
 * every message to the connected browsers allowed to see it, in order, and
 * removes connections that are gone. A batch that fails is delivered again
 * (a browser may then see a message twice; the feed is a live view, the
 * archive queue is the record).
 */
export const handler = async (event: SQSEvent): Promise<SQSBatchResponse> => {
  const messages = event.Records.map((record) => parseFeedMessage(record.body));
  const result = await broadcast(messages, { store, poster });
  logger.info('live feed broadcast', { messages: messages.length, ...result });
  return { batchItemFailures: [] };
};
