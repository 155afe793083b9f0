import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { eventHandler } from '../shared/event-handler.js';
import { RIGHTS_CACHE_SECONDS } from '../shared/identity/roles.js';
import { directoryFromEnv } from '../shared/identity/user-pool.js';
import { parseFeedMessage } from '../shared/log-feed/event.js';
import { logger } from '../shared/logger.js';
import { recordMetric } from '../shared/metrics.js';
import { METRIC } from '../shared/metrics-catalog.js';
import { broadcast } from './domain/listeners.js';
import { cachedStandings } from './domain/rights.js';
import { dynamoListenerStore } from './dynamo-store.js';
import { broadcasterEnv, connectionsTable } from './env.js';
import { managementApi } from './management-api.js';

const env = broadcasterEnv();
const store = dynamoListenerStore(connectionsTable());
const connections = managementApi({
  callbackUrl: env.LIVE_FEED_CALLBACK_URL,
  apiId: env.LIVE_FEED_API_ID,
  stage: env.LIVE_FEED_STAGE,
  endpoint: process.env.AWS_ENDPOINT_URL,
});
// Kept across invocations: each person's standing is read at most once per RIGHTS_CACHE_SECONDS.
const standings = cachedStandings(directoryFromEnv(), RIGHTS_CACHE_SECONDS * 1000, Date.now);

/**
 * Fed by the log-feed topic through a queue, up to 10 messages a batch:
 * closes the connections whose rights ended (token expired, account deleted,
 * role changed), posts every message to the connected browsers allowed to
 * see it, in order, and removes connections that are gone. A batch that
 * fails is delivered again (a browser may then see a message twice; the feed
 * is a live view, the archive queue is the record). Counts the messages posted
 * (LiveFeedPosted) and the connections found gone or closed (LiveFeedGone).
 */
export const handler = eventHandler(async (event: SQSEvent): Promise<SQSBatchResponse> => {
  const messages = event.Records.map((record) => parseFeedMessage(record.body));
  const result = await broadcast(messages, { store, connections, standings, now: new Date() });
  recordMetric(METRIC.livePosted, result.sent);
  recordMetric(METRIC.liveGone, result.removed + result.closed.length);
  if (result.closed.length > 0) logger.info('live feed connections closed', { closed: result.closed });
  logger.info('live feed broadcast', {
    messages: messages.length,
    sent: result.sent,
    removed: result.removed,
    closed: result.closed.length,
  });
  return { batchItemFailures: [] };
});
