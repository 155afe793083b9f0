import type { SNSEvent } from 'aws-lambda';
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
 * Subscribed to the log-feed topic: posts every message to the connected
 * browsers allowed to see it, and removes connections that are gone.
 */
export const handler = async (event: SNSEvent): Promise<void> => {
  const messages = event.Records.map((record) => parseFeedMessage(record.Sns.Message));
  const result = await broadcast(messages, { store, poster });
  logger.info('live feed broadcast', { messages: messages.length, ...result });
};
