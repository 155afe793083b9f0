import { type FeedMessage, formatFeedLine, parseFeedMessage } from '../../shared/log-feed/event.js';

export interface LogLine {
  timestamp: number;
  message: string;
}

/**
 * Turns received feed messages into log lines in time order (CloudWatch
 * requires a batch to be sorted). A body that is not a feed message still
 * gets a line, stamped with the time it arrived, so nothing is dropped.
 */
export function toLogLines(bodies: ReadonlyArray<{ body: string; receivedAt: number }>): LogLine[] {
  return bodies
    .map(({ body, receivedAt }) => {
      let message: FeedMessage;
      try {
        message = parseFeedMessage(body);
      } catch {
        return { timestamp: receivedAt, message: `${new Date(receivedAt).toISOString()} unparsed ${body}` };
      }
      const parsed = Date.parse(message.timestamp);
      return { timestamp: Number.isNaN(parsed) ? receivedAt : parsed, message: formatFeedLine(message) };
    })
    .sort((a, b) => a.timestamp - b.timestamp);
}
