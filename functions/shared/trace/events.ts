/**
 * The spans of the events a non-HTTP function handles (see
 * ../event-handler.ts): one CONSUMER span per SQS record, continuing the
 * context the record carries, and one span per other event (a schedule, an
 * authorizer call, a user-pool trigger, a log subscription delivery, an SNS
 * notification). A handler whose records each make calls of their own (the
 * RPC servers, the saga queue) starts each record's span itself with
 * {@link tracedRecord}, so its calls hang under the right record.
 */
import type { Context } from 'aws-lambda';
import { contextOfRecord, type TracedRecord, traceparentHeader } from './carriers.js';
import { parseTraceparent } from './context.js';
import { endSpan, errorOutcome, inSpan, runInSpan, type SpanKind, startSpan } from './span.js';

type AnyEvent = Record<string, unknown> | undefined | null;

const sqsRecordsOf = (event: AnyEvent): TracedRecord[] | undefined => {
  const records = event?.Records;
  if (!Array.isArray(records) || records.length === 0) return undefined;
  return records.every((r) => (r as { eventSource?: unknown }).eventSource === 'aws:sqs')
    ? (records as (TracedRecord & { messageId: string })[])
    : undefined;
};

/** What kind of event a function got, as a span name and kind. */
function describe(event: AnyEvent): { name: string; kind: SpanKind } {
  if (event?.source === 'aws.events') return { name: 'schedule', kind: 'INTERNAL' };
  if (typeof event?.methodArn === 'string' || typeof event?.routeArn === 'string')
    return { name: 'authorize', kind: 'SERVER' };
  if (typeof event?.triggerSource === 'string') return { name: event.triggerSource, kind: 'SERVER' };
  if (typeof (event?.awslogs as { data?: unknown } | undefined)?.data === 'string')
    return { name: 'log subscription', kind: 'CONSUMER' };
  const records = event?.Records;
  if (Array.isArray(records) && (records[0] as { EventSource?: unknown })?.EventSource === 'aws:sns')
    return { name: 'sns notification', kind: 'CONSUMER' };
  return { name: 'invoke', kind: 'SERVER' };
}

/** A batch handler's failed records (SQSBatchResponse). */
const failedIds = (result: unknown): Set<string> =>
  new Set(
    (
      (result as { batchItemFailures?: { itemIdentifier?: string }[] } | undefined)?.batchItemFailures ?? []
    ).map((f) => f.itemIdentifier ?? ''),
  );

export interface TraceOptions {
  /** The handler starts a span per SQS record itself ({@link tracedRecord}): none is made here. */
  tracesRecords?: boolean;
}

/** Wraps a non-HTTP handler so that every event it handles is a span (see the module's comment). */
export function withTrace<Event, Result>(
  handler: (event: Event, context: Context) => Promise<Result>,
  { tracesRecords = false }: TraceOptions = {},
): (event: Event, context: Context) => Promise<Result> {
  return async (event, context) => {
    const records = sqsRecordsOf(event as AnyEvent);
    if (records && tracesRecords) return handler(event, context);
    if (records) {
      // One span per record, all as long as the batch; the handler runs in the first one's when it is alone.
      const spans = records.map((record) =>
        startSpan('process message', 'CONSUMER', { parent: contextOfRecord(record) ?? null }),
      );
      const run = () => handler(event, context);
      let result: Result;
      try {
        result =
          spans.length === 1 && spans[0]
            ? await runInSpan(spans[0], run, (done) =>
                failedIds(done).size > 0
                  ? { status: 'error', errorCode: 'BatchItemFailure' }
                  : { status: 'ok' },
              )
            : await run();
      } catch (error) {
        if (spans.length > 1) for (const span of spans) endSpan(span, errorOutcome(error));
        throw error;
      }
      if (spans.length > 1 || !spans[0]) {
        const failed = failedIds(result);
        records.forEach((record, i) => {
          const span = spans[i];
          if (span)
            endSpan(
              span,
              failed.has((record as { messageId?: string }).messageId ?? '')
                ? { status: 'error', errorCode: 'BatchItemFailure' }
                : { status: 'ok' },
            );
        });
      }
      return result;
    }
    const { name, kind } = describe(event as AnyEvent);
    const headers = (event as { headers?: Record<string, string> } | undefined)?.headers;
    return inSpan(name, kind, () => handler(event, context), {
      parent: parseTraceparent(traceparentHeader(headers)) ?? null,
    });
  };
}

/**
 * A record handler whose record is a span of its own (CONSUMER, or `kind`),
 * continuing the context the record carries; `nameOf` names it from the record.
 */
export function tracedRecord<R extends TracedRecord>(
  nameOf: (record: R) => string,
  handle: (record: R) => Promise<void>,
  kind: SpanKind = 'CONSUMER',
): (record: R) => Promise<void> {
  return (record) =>
    inSpan(nameOf(record), kind, () => handle(record), { parent: contextOfRecord(record) ?? null });
}
