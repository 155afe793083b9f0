import type { SNSEvent } from 'aws-lambda';
import { eventHandler } from '../shared/event-handler.js';
import { publishManyToFeed } from '../shared/log-feed/sns-publisher.js';
import { logger } from '../shared/logger.js';
import { alarmFeedMessages } from './domain/alarms.js';
import { alarmsEnv } from './env.js';

const env = alarmsEnv();

/**
 * Subscribed to the stack's alarm topic: publishes every alarm state change
 * (to ALARM, back to OK) into the log feed as an `alarm` event, but for a new
 * alarm's first OK (see `isNews`). A message
 * that is not a state change is logged as an ERROR (which reaches the feed
 * as `log.error`) and skipped: retrying it would not change it.
 */
export const handler = eventHandler(async (event: SNSEvent): Promise<void> => {
  const { messages, rejected } = alarmFeedMessages(
    event.Records.map((record) => ({ id: record.Sns.MessageId, message: record.Sns.Message })),
  );
  for (const { id, problem } of rejected)
    logger.error('skipped a message of the alarm topic', { id, problem });
  await publishManyToFeed(env.LOG_FEED_TOPIC_ARN, messages);
  logger.info('published alarm state changes', { count: messages.length });
});
