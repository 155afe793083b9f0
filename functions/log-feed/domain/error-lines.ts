import { gunzipSync } from 'node:zlib';
import { parseJsonLine } from '../../shared/json-line.js';
import { type FeedMessage, feedMessage } from '../../shared/log-feed/event.js';
import { formatTraceparent, isSpanId, isTraceId } from '../../shared/trace/context.js';

/** One event of a CloudWatch Logs subscription delivery (the decoded `awslogs` payload). */
export interface LogsDelivery {
  messageType: string;
  logGroup: string;
  logStream: string;
  logEvents: ReadonlyArray<{ id: string; timestamp: number; message: string }>;
}

export const ERROR_EVENT = 'log.error';

/** Decodes the gzip + base64 `awslogs.data` payload CloudWatch Logs delivers to a subscription. */
export function decodeDelivery(data: string): LogsDelivery {
  return JSON.parse(gunzipSync(Buffer.from(data, 'base64')).toString('utf8')) as LogsDelivery;
}

/** Service name of a function log group such as `/aws/lambda/<stack>-downcase-...` or a Powertools line. */
function serviceOf(logGroup: string, line: Record<string, unknown> | undefined): string {
  if (line && typeof line.service === 'string') return line.service;
  return logGroup.split('/').pop() ?? logGroup;
}

/** The `traceparent` of the span that logged a structured line (its `trace_id` and `span_id`), if it names one. */
function traceparentOf(line: Record<string, unknown> | undefined): string | undefined {
  const traceId = line?.trace_id;
  const spanId = line?.span_id;
  if (typeof traceId !== 'string' || typeof spanId !== 'string' || !isTraceId(traceId) || !isSpanId(spanId))
    return undefined;
  return formatTraceparent({ traceId, spanId, sampled: true });
}

/**
 * A Lambda token authorizer says "401" by throwing `Unauthorized`, which the
 * Node.js runtime logs as `ERROR Invoke Error {"errorMessage":"Unauthorized"}`:
 * a rejected token, not a failure.
 */
function isAuthorizerDenial(message: string, line: Record<string, unknown> | undefined): boolean {
  return message.includes('Invoke Error') && line?.errorMessage === 'Unauthorized';
}

/**
 * Picks the error lines of a subscription delivery and turns each into a
 * feed message. The subscription filter pre-selects lines containing `ERROR`;
 * this re-checks structured lines by their level, so an INFO line that merely
 * mentions the word is not forwarded. A message names the trace of the line
 * (its `trace_id` and `span_id`) when the line was logged in one.
 */
export function errorFeedMessages(delivery: LogsDelivery): FeedMessage[] {
  if (delivery.messageType !== 'DATA_MESSAGE') return [];
  const messages: FeedMessage[] = [];
  for (const event of delivery.logEvents) {
    const line = parseJsonLine(event.message);
    const level = typeof line?.level === 'string' ? line.level : undefined;
    if (level !== undefined ? level !== 'ERROR' && level !== 'CRITICAL' : !event.message.includes('ERROR')) {
      continue;
    }
    if (isAuthorizerDenial(event.message, line)) continue;
    const requestId =
      typeof line?.requestId === 'string'
        ? line.requestId
        : typeof line?.function_request_id === 'string'
          ? line.function_request_id
          : 'unknown';
    const message = feedMessage(
      serviceOf(delivery.logGroup, line),
      requestId,
      {
        type: ERROR_EVENT,
        data: { logGroup: delivery.logGroup, logStream: delivery.logStream, line: line ?? event.message },
      },
      new Date(event.timestamp),
    );
    // The forwarded line stays in the trace of the request that logged it.
    const traceparent = traceparentOf(line);
    messages.push(traceparent ? { ...message, traceparent } : message);
  }
  return messages;
}
