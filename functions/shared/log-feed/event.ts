/**
 * The log feed's message format, shared by publishers, the subscriber and the
 * tail command. Pure: no AWS imports.
 */

/** What a publisher says: the kind of event and its data. */
export interface FeedEventInput {
  /** Dotted event type, e.g. `downcase.response`, `task.created`, `log.error`. */
  type: string;
  data: unknown;
}

/** A complete log-feed message body, as published to the topic. */
export interface FeedMessage extends FeedEventInput {
  /** ISO-8601 UTC time the event was published. */
  timestamp: string;
  service: string;
  requestId: string;
  /**
   * W3C trace context of the span that published the message (or, for a
   * forwarded error line, of the span that logged it): the trace it belongs to.
   */
  traceparent?: string;
}

/** The SNS message attributes every feed message carries, for subscriber filter policies (and its trace, when it has one). */
export type FeedAttributes = Record<'service' | 'type' | 'requestId', string> & { traceparent?: string };

/** Port through which domain code publishes to the feed. */
export interface FeedPublisher {
  publish(event: FeedEventInput): Promise<void>;
}

export function feedMessage(
  service: string,
  requestId: string,
  event: FeedEventInput,
  now: Date = new Date(),
): FeedMessage {
  return { timestamp: now.toISOString(), service, type: event.type, requestId, data: event.data };
}

export function feedAttributes(message: FeedMessage): FeedAttributes {
  return {
    service: message.service,
    type: message.type,
    requestId: message.requestId,
    ...(message.traceparent ? { traceparent: message.traceparent } : {}),
  };
}

/** One human-readable line per message: `<timestamp> <service> <type> <requestId> <data as JSON>`. */
export function formatFeedLine(message: FeedMessage): string {
  return `${message.timestamp} ${message.service} ${message.type} ${message.requestId} ${JSON.stringify(message.data)}`;
}

/** Parses a message body received from the feed; throws if it is not one. */
export function parseFeedMessage(body: string): FeedMessage {
  const value: unknown = JSON.parse(body);
  if (
    typeof value === 'object' &&
    value !== null &&
    'timestamp' in value &&
    'service' in value &&
    'type' in value &&
    'requestId' in value &&
    typeof value.timestamp === 'string' &&
    typeof value.service === 'string' &&
    typeof value.type === 'string' &&
    typeof value.requestId === 'string'
  ) {
    return { ...(value as FeedMessage) };
  }
  throw new Error('not a log-feed message');
}
