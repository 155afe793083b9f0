import type { CloudWatchLogsEvent } from 'aws-lambda';
import { eventHandler } from '../shared/event-handler.js';
import { publishManyToFeed } from '../shared/log-feed/sns-publisher.js';
import { logger } from '../shared/logger.js';
import { decodeDelivery, errorFeedMessages } from './domain/error-lines.js';
import { forwarderEnv } from './env.js';

const env = forwarderEnv();

/**
 * Destination of the CloudWatch Logs subscription filters on every service
 * function: forwards their ERROR lines into the log feed as `log.error` events.
 */
export const handler = eventHandler(async (event: CloudWatchLogsEvent): Promise<void> => {
  const delivery = decodeDelivery(event.awslogs.data);
  const messages = errorFeedMessages(delivery);
  await publishManyToFeed(env.LOG_FEED_TOPIC_ARN, messages);
  logger.info('forwarded error lines', { logGroup: delivery.logGroup, count: messages.length });
});
