import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import { SendMessageCommand } from '@aws-sdk/client-sqs';
import type { SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import * as z from 'zod/mini';
import { moviesContract } from '../movies/contract.js';
import { commandEnvelope } from '../shared/rpc/contract.js';
import { parseReply } from '../shared/rpc/envelope.js';
import { sqs } from '../shared/rpc/sqs-transport.js';
import { sqsTraceFields } from '../shared/trace/carriers.js';
import { formatTraceparent } from '../shared/trace/context.js';
import { tracedRecord } from '../shared/trace/events.js';
import { activeSpan, inSpan } from '../shared/trace/span.js';
import type { Hold, SagaTimer } from './domain/bookings.js';
import { PENDING_GRACE_SECONDS } from './timing.js';

/** A durable release stays valid this long in the movies request queue (then its DLQ keeps it). */
const RELEASE_VALID_MS = 24 * 60 * 60_000;

/** The delayed look at a pending booking: once no live create can be behind it. */
const CHECK_DELAY_SECONDS = PENDING_GRACE_SECONDS;

/**
 * The delayed saga-queue message that has a booking looked at (see
 * `SagaTimer`); `traceparent` names the span that sent it, so the check,
 * seconds later, joins the trace of the request that started the booking.
 */
const checkMessage = z.object({
  kind: z.literal('check'),
  bookingId: z.string(),
  traceparent: z.optional(z.string()),
});

/** What arrives on the saga queue: a delayed check, or movies' reply to a durable release. */
export type SagaMessage = ({ kind: 'check'; bookingId: string } | { kind: 'released'; bookingId: string }) & {
  traceparent?: string;
};

/** Reads a saga-queue message; throws on anything else (SQS retries it, then parks it in the DLQ). */
export function parseSagaMessage(body: string): SagaMessage {
  const check = checkMessage.safeParse(JSON.parse(body));
  if (check.success) return check.data;
  const reply = parseReply(body);
  if (!reply.ok) throw new Error(`movies refused a release: ${reply.error.code} ${reply.error.message}`);
  const { bookingId } = moviesContract.methods.releaseSeats.output.parse(reply.result);
  return { kind: 'released', bookingId, ...(reply.traceparent ? { traceparent: reply.traceparent } : {}) };
}

/** Delayed checks on the saga queue, each sent as a PRODUCER span. */
export function sqsSagaTimer(sagaQueueUrl: string): SagaTimer {
  return {
    checkLater: (bookingId) =>
      inSpan(
        'send saga check',
        'PRODUCER',
        async (span) => {
          await sqs.send(
            new SendMessageCommand({
              QueueUrl: sagaQueueUrl,
              MessageBody: JSON.stringify({ kind: 'check', bookingId, traceparent: formatTraceparent(span) }),
              DelaySeconds: CHECK_DELAY_SECONDS,
              ...sqsTraceFields(span),
            }),
          );
        },
        { attributes: { booking_id: bookingId, 'messaging.delay_seconds': CHECK_DELAY_SECONDS } },
      ),
  };
}

/** Sends a durable `movies.releaseSeats` command whose reply comes back on the saga queue. */
export function durableRelease(moviesQueueUrl: string, sagaQueueUrl: string, requestId: string) {
  return (hold: Hold): Promise<void> =>
    inSpan(
      'send movies.releaseSeats',
      'PRODUCER',
      async (span) => {
        await sqs.send(
          new SendMessageCommand({
            QueueUrl: moviesQueueUrl,
            MessageBody: commandEnvelope(moviesContract, 'releaseSeats', hold, {
              correlationId: `release-${hold.bookingId}`,
              replyTo: sagaQueueUrl,
              deadline: Date.now() + RELEASE_VALID_MS,
              requestId,
              traceparent: formatTraceparent(span),
            }),
            ...sqsTraceFields(span),
          }),
        );
      },
      { attributes: { booking_id: hold.bookingId, requestId } },
    );
}

/** What the saga queue's consumer asks of the booking service. */
export interface SagaSteps {
  check(bookingId: string): Promise<void>;
  seatsReleased(bookingId: string): Promise<unknown>;
}

/**
 * The consumer of the saga queue (Powertools batch, partial failures): each
 * record is a delayed check or movies' confirmation of a durable release,
 * handled as a CONSUMER span (`bookings.saga check`) in the trace that sent it.
 */
export function sagaQueueConsumer(stepsFor: (requestId: string) => SagaSteps) {
  const processor = new BatchProcessor(EventType.SQS);
  const step = tracedRecord(
    (record: SQSRecord) => `bookings.saga ${sagaKindOf(record.body)}`,
    async (record: SQSRecord) => {
      const message = parseSagaMessage(record.body);
      const span = activeSpan();
      if (span) span.attributes.booking_id = message.bookingId;
      const steps = stepsFor(record.messageId);
      if (message.kind === 'check') await steps.check(message.bookingId);
      else await steps.seatsReleased(message.bookingId);
    },
  );
  return (event: SQSEvent): Promise<SQSBatchResponse> =>
    processPartialResponse(event, step, processor, {
      processInParallel: true,
      throwOnFullBatchFailure: false,
    });
}

/** What a saga-queue record is, for its span's name, without failing on one that is neither. */
function sagaKindOf(body: string): string {
  try {
    return parseSagaMessage(body).kind;
  } catch {
    return 'unreadable';
  }
}
