/**
 * Where a trace context rides on each kind of hop, both ways: the HTTP
 * `traceparent` header, SQS message attributes (`traceparent`, and the
 * `AWSTraceHeader` system attribute X-Ray reads on AWS), the `traceparent`
 * field of a message body (RPC envelopes, saga messages, feed messages), and
 * SNS message attributes (which raw delivery turns into SQS ones). Pure: no
 * AWS imports, only the shapes of their messages.
 */
import {
  formatTraceparent,
  parseAwsTraceHeader,
  parseTraceparent,
  type TraceContext,
  toAwsTraceHeader,
} from './context.js';

/** The header and attribute name W3C Trace Context gives the context. */
export const TRACEPARENT = 'traceparent';

/** The `traceparent` header of an HTTP request, whatever its spelling (API Gateway keeps the client's). */
export function traceparentHeader(headers: Record<string, string | undefined> | null | undefined) {
  return Object.entries(headers ?? {}).find(([key]) => key.toLowerCase() === TRACEPARENT)?.[1];
}

/**
 * The SQS SendMessage fields that carry `context`: a `traceparent` message
 * attribute and the `AWSTraceHeader` system attribute. Nothing without a context.
 */
export function sqsTraceFields(context: TraceContext | undefined) {
  if (!context) return {};
  return {
    MessageAttributes: { [TRACEPARENT]: { DataType: 'String', StringValue: formatTraceparent(context) } },
    MessageSystemAttributes: {
      AWSTraceHeader: { DataType: 'String' as const, StringValue: toAwsTraceHeader(context) },
    },
  };
}

/** What an SQS record of a Lambda event holds of a trace context (the parts of aws-lambda's SQSRecord read here). */
export interface TracedRecord {
  body: string;
  attributes?: { AWSTraceHeader?: string | undefined } | Record<string, string | undefined>;
  messageAttributes?: Record<string, { stringValue?: string | undefined } | undefined>;
}

/** The `traceparent` field of a JSON message body, if it has one. */
export function traceparentOfBody(body: string): string | undefined {
  if (!body.includes(TRACEPARENT)) return undefined;
  try {
    const value: unknown = JSON.parse(body);
    return typeof value === 'object' &&
      value !== null &&
      typeof (value as { traceparent?: unknown }).traceparent === 'string'
      ? (value as { traceparent: string }).traceparent
      : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The context an SQS record continues: its body's `traceparent` (set by the
 * sender itself, so the most precise), else its `traceparent` message
 * attribute (SNS attributes arrive there), else its `AWSTraceHeader`.
 * Undefined when none is valid: the record then starts a trace.
 */
export function contextOfRecord(record: TracedRecord): TraceContext | undefined {
  return (
    parseTraceparent(traceparentOfBody(record.body)) ??
    parseTraceparent(record.messageAttributes?.[TRACEPARENT]?.stringValue) ??
    parseAwsTraceHeader((record.attributes as { AWSTraceHeader?: string } | undefined)?.AWSTraceHeader)
  );
}
