import { PublishBatchCommand, PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { recordMetric } from '../metrics.js';
import { METRIC } from '../metrics-catalog.js';
import { counted } from '../request-counting.js';
import { formatTraceparent } from '../trace/context.js';
import { inSpan, type Span } from '../trace/span.js';
import {
  type FeedEventInput,
  type FeedMessage,
  type FeedPublisher,
  feedAttributes,
  feedMessage,
} from './event.js';

const sns = counted(new SNSClient({}));

/** SNS publishing is capped at 10 entries per PublishBatch call. */
const BATCH_SIZE = 10;

function attributesOf(message: FeedMessage) {
  return Object.fromEntries(
    Object.entries(feedAttributes(message)).map(([name, value]) => [
      name,
      { DataType: 'String', StringValue: value },
    ]),
  );
}

/** A message that names no trace yet belongs to the span publishing it. */
const traced = (message: FeedMessage, span: Span): FeedMessage =>
  message.traceparent ? message : { ...message, traceparent: formatTraceparent(span) };

/**
 * Publishes one message to the log-feed topic (counted in FeedPublished), as
 * a PRODUCER span (`publish <type>`) whose context the message carries, in
 * its body and its `traceparent` attribute.
 */
export function publishToFeed(topicArn: string, message: FeedMessage): Promise<void> {
  return inSpan(
    `publish ${message.type}`,
    'PRODUCER',
    async (span) => {
      const sent = traced(message, span);
      await sns.send(
        new PublishCommand({
          TopicArn: topicArn,
          Message: JSON.stringify(sent),
          MessageAttributes: attributesOf(sent),
        }),
      );
      recordMetric(METRIC.feedPublished, 1);
    },
    { attributes: { 'messaging.destination.name': 'log-feed', 'feed.type': message.type } },
  );
}

/** Publishes many messages, ten per call, each call a PRODUCER span (counted in FeedPublished); throws if any entry failed. */
export async function publishManyToFeed(topicArn: string, messages: readonly FeedMessage[]): Promise<void> {
  for (let start = 0; start < messages.length; start += BATCH_SIZE) {
    await inSpan(
      'publish batch',
      'PRODUCER',
      (span) =>
        publishChunk(
          topicArn,
          messages.slice(start, start + BATCH_SIZE).map((m) => traced(m, span)),
        ),
      {
        attributes: {
          'messaging.destination.name': 'log-feed',
          'messaging.batch.message_count': Math.min(BATCH_SIZE, messages.length - start),
        },
      },
    );
  }
}

/** One PublishBatch call (at most ten messages); throws if any entry failed. */
async function publishChunk(topicArn: string, chunk: readonly FeedMessage[]): Promise<void> {
  const result = await sns.send(
    new PublishBatchCommand({
      TopicArn: topicArn,
      PublishBatchRequestEntries: chunk.map((message, index) => ({
        Id: String(index),
        Message: JSON.stringify(message),
        MessageAttributes: attributesOf(message),
      })),
    }),
  );
  recordMetric(METRIC.feedPublished, chunk.length - (result.Failed?.length ?? 0));
  if (result.Failed && result.Failed.length > 0) {
    throw new Error(`log feed rejected ${result.Failed.length} message(s): ${result.Failed[0]?.Message}`);
  }
}

/** The feed publisher of one request: stamps the service name and request id on every event. */
export function snsFeedPublisher(topicArn: string, service: string, requestId: string): FeedPublisher {
  return {
    publish: (event: FeedEventInput) => publishToFeed(topicArn, feedMessage(service, requestId, event)),
  };
}
