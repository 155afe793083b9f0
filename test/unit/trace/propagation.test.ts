import { SNSClient } from '@aws-sdk/client-sns';
import { type SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import type { Context, SQSEvent } from 'aws-lambda';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import { parseSagaMessage, sqsSagaTimer } from '../../../functions/bookings/saga-queue.js';
import { errorFeedMessages } from '../../../functions/log-feed/domain/error-lines.js';
import { ConflictError } from '../../../functions/shared/errors.js';
import { eventHandler } from '../../../functions/shared/event-handler.js';
import { httpHandler } from '../../../functions/shared/http/middleware.js';
import { defineRoutes } from '../../../functions/shared/http/route.js';
import { feedMessage } from '../../../functions/shared/log-feed/event.js';
import { publishToFeed } from '../../../functions/shared/log-feed/sns-publisher.js';
import { rpcClient } from '../../../functions/shared/rpc/client.js';
import { defineContract } from '../../../functions/shared/rpc/contract.js';
import { rpcServer } from '../../../functions/shared/rpc/server.js';
import { formatTraceparent, parseTraceparent } from '../../../functions/shared/trace/context.js';
import { TraceLogFormatter } from '../../../functions/shared/trace/log-formatter.js';
import { inSpan, type SpanLine, writeSpansWith } from '../../../functions/shared/trace/span.js';
import { apiEvent, lambdaContext } from '../../support/api-events.js';
import { memoryTransport } from '../../support/memory-rpc-transport.js';

const TRACE = '4bf92f3577b34da6a3ce929d0e0e4736';
const CLIENT_SPAN = '00f067aa0ba902b7';
const SENT = `00-${TRACE}-${CLIENT_SPAN}-01`;

let spans: SpanLine[] = [];
beforeEach(() => {
  spans = [];
  writeSpansWith((line) => spans.push(line));
});
afterEach(() => vi.restoreAllMocks());

const only = (name: string) => {
  const found = spans.filter((s) => s.span_name === name);
  expect(found).toHaveLength(1);
  return found[0] as SpanLine;
};

describe('an HTTP request', () => {
  const routes = defineRoutes({
    read: {
      method: 'GET',
      path: '/things/{id}',
      summary: 'read',
      auth: 'none',
      params: z.object({ id: z.string() }),
      response: z.object({ id: z.string() }),
    },
  });
  const logged: Record<string, unknown>[] = [];
  const handler = httpHandler(routes, {
    read: async ({ params }) => {
      // What the logger adds to a line written here, through the formatter every function's logger uses.
      logged.push(
        new TraceLogFormatter()
          .formatAttributes({ logLevel: 'INFO', message: 'x', timestamp: new Date() } as never, {})
          .getAttributes(),
      );
      if (params.id === 'taken') throw new ConflictError('already booked');
      if (params.id === 'crash') throw new Error('boom');
      return { id: params.id };
    },
  });
  const call = (id: string, headers: Record<string, string> = {}) =>
    handler(
      apiEvent({ resource: '/things/{id}', path: `/things/${id}`, pathParameters: { id }, headers }),
      lambdaContext,
    );

  it('continues the caller’s traceparent, answers with its own span, and every line it logs names the trace', async () => {
    const response = await call('t1', { TraceParent: SENT });
    const server = only('GET /things/{id}');
    expect(server).toMatchObject({
      trace_id: TRACE,
      parent_span_id: CLIENT_SPAN,
      span_kind: 'SERVER',
      status: 'ok',
    });
    expect(server.attributes).toMatchObject({ requestId: 'req-1', 'http.response.status_code': 200 });
    expect(parseTraceparent(response.headers?.traceparent as string)).toEqual({
      traceId: TRACE,
      spanId: server.span_id,
      sampled: true,
    });
    expect(logged.at(-1)).toMatchObject({ trace_id: TRACE, span_id: server.span_id });
  });

  it('writes no span when the caller’s traceparent says not sampled, and passes the flag on', async () => {
    const response = await call('t1', { traceparent: `00-${TRACE}-${CLIENT_SPAN}-00` });
    expect(response.statusCode).toBe(200);
    expect(spans).toEqual([]);
    const answered = parseTraceparent(response.headers?.traceparent as string);
    expect(answered).toMatchObject({ traceId: TRACE, sampled: false });
    expect(answered?.spanId).not.toBe(CLIENT_SPAN);
    expect(logged.at(-1)).toMatchObject({ trace_id: TRACE, span_id: answered?.spanId });
  });

  it('starts a trace of its own for an invalid traceparent, and says so', async () => {
    const response = await call('t1', { traceparent: `00-${TRACE}-${'0'.repeat(16)}-01` });
    const server = only('GET /things/{id}');
    expect(server.trace_id).not.toBe(TRACE);
    expect(server.parent_span_id).toBeUndefined();
    expect(server.attributes).toMatchObject({ 'traceparent.invalid': true });
    expect(response.headers?.traceparent).toContain(server.trace_id);
  });

  it('names the trace in an error body; a refused request is an ok span, a crash an error span', async () => {
    const refused = await call('taken');
    expect(JSON.parse(refused.body)).toMatchObject({
      error: 'Conflict',
      traceId: only('GET /things/{id}').trace_id,
    });
    expect(only('GET /things/{id}')).toMatchObject({
      status: 'ok',
      attributes: { 'http.response.status_code': 409 },
    });
    spans = [];
    const crashed = await call('crash');
    expect(crashed.statusCode).toBe(500);
    expect(JSON.parse(crashed.body).traceId).toBe(only('GET /things/{id}').trace_id);
    expect(only('GET /things/{id}')).toMatchObject({ status: 'error', error_code: 'UnexpectedError' });
  });
});

describe('an RPC call', () => {
  const contract = defineContract('movies', {
    reserve: { input: z.object({ n: z.number() }), output: z.object({ n: z.number() }) },
    silent: { input: z.object({}), output: z.null() },
  });
  const setUp = () => {
    const bus = memoryTransport();
    bus.create('memory://dlq');
    bus.consume(
      'memory://movies',
      rpcServer(
        contract,
        {
          reserve: async ({ n }) => {
            if (n < 0) throw new ConflictError('not enough seats');
            return { n };
          },
          silent: () => new Promise(() => {}),
        },
        { transport: bus.transport, deadLetterQueueUrl: 'memory://dlq' },
      ),
    );
    let seq = 0;
    return rpcClient({
      transport: bus.transport,
      services: { movies: 'memory://movies' },
      replyQueueName: 'Stack-rpc-reply-test',
      newId: () => `c${++seq}`,
    });
  };

  it('is a CLIENT span whose context the envelope carries: the server’s span is its child, in the same trace', async () => {
    const client = setUp();
    await inSpan(
      'POST /bookings',
      'SERVER',
      () => client.call('movies', 'reserve', { n: 2 }, { timeoutMs: 1000, requestId: 'r1' }),
      {
        parent: parseTraceparent(SENT),
      },
    );
    const root = only('POST /bookings');
    const call = spans.find((s) => s.span_name === 'movies.reserve' && s.span_kind === 'CLIENT') as SpanLine;
    const served = spans.find((s) => s.span_name === 'movies.reserve' && s.span_kind === 'SERVER');
    expect(call).toMatchObject({
      trace_id: TRACE,
      parent_span_id: root.span_id,
      span_kind: 'CLIENT',
      status: 'ok',
    });
    expect(served).toMatchObject({ trace_id: TRACE, parent_span_id: call.span_id, status: 'ok' });
  });

  it('is not written at either end when its trace is not sampled, and neither is the server’s span', async () => {
    const client = setUp();
    const answer = await inSpan(
      'POST /bookings',
      'SERVER',
      () => client.call('movies', 'reserve', { n: 2 }, { timeoutMs: 1000, requestId: 'r1' }),
      { parent: parseTraceparent(`00-${TRACE}-${CLIENT_SPAN}-00`) },
    );
    expect(answer).toEqual({ n: 2 });
    expect(spans).toEqual([]);
  });

  it('ends as an error with the remote code, or with Timeout when no answer comes', async () => {
    const client = setUp();
    await expect(
      client.call('movies', 'reserve', { n: -1 }, { timeoutMs: 1000, requestId: 'r1' }),
    ).rejects.toThrow();
    await expect(client.call('movies', 'silent', {}, { timeoutMs: 50, requestId: 'r1' })).rejects.toThrow();
    const clientSpans = spans.filter((s) => s.span_kind === 'CLIENT');
    expect(clientSpans.map((s) => [s.span_name, s.status, s.error_code])).toEqual([
      ['movies.reserve', 'error', 'Conflict'],
      ['movies.silent', 'error', 'Timeout'],
    ]);
    expect(spans.find((s) => s.span_kind === 'SERVER' && s.span_name === 'movies.reserve')).toMatchObject({
      status: 'error',
      error_code: 'Conflict',
    });
  });
});

describe('a saga message', () => {
  it('carries the sender’s span in its body and SQS attributes, and the consumer reads it back', async () => {
    const send = vi.spyOn(SQSClient.prototype, 'send').mockResolvedValue({} as never);
    await inSpan('POST /bookings', 'SERVER', () => sqsSagaTimer('memory://saga').checkLater('b1'), {
      parent: parseTraceparent(SENT),
    });
    const producer = only('send saga check');
    expect(producer).toMatchObject({
      trace_id: TRACE,
      span_kind: 'PRODUCER',
      attributes: { booking_id: 'b1' },
    });
    const [[command]] = send.mock.calls as unknown as [[SendMessageCommand]];
    const input = command.input;
    const traceparent = formatTraceparent({ traceId: TRACE, spanId: producer.span_id, sampled: true });
    expect(input.MessageAttributes?.traceparent?.StringValue).toBe(traceparent);
    expect(input.MessageSystemAttributes?.AWSTraceHeader?.StringValue).toContain(
      `Parent=${producer.span_id}`,
    );
    expect(parseSagaMessage(input.MessageBody ?? '')).toEqual({
      kind: 'check',
      bookingId: 'b1',
      traceparent,
    });
    const reply = {
      v: 1,
      correlationId: 'release-b1',
      traceparent,
      ok: true,
      result: { bookingId: 'b1', released: 2 },
    };
    expect(parseSagaMessage(JSON.stringify(reply))).toMatchObject({ kind: 'released', traceparent });
  });
});

describe('a feed event', () => {
  it('is published as a PRODUCER span whose context its body and SNS attributes carry', async () => {
    const send = vi.spyOn(SNSClient.prototype, 'send').mockResolvedValue({} as never);
    await inSpan(
      'GET /downcase',
      'SERVER',
      () =>
        publishToFeed('arn:topic', feedMessage('downcase', 'r1', { type: 'downcase.response', data: {} })),
      {
        parent: parseTraceparent(SENT),
      },
    );
    const producer = only('publish downcase.response');
    const traceparent = formatTraceparent({ traceId: TRACE, spanId: producer.span_id, sampled: true });
    const [[command]] = send.mock.calls as unknown as [
      [{ input: { Message: string; MessageAttributes: Record<string, { StringValue: string }> } }],
    ];
    const input = command.input;
    expect(JSON.parse(input.Message).traceparent).toBe(traceparent);
    expect(input.MessageAttributes.traceparent?.StringValue).toBe(traceparent);
  });

  it('is received as one CONSUMER span per record, each in the trace its message names', async () => {
    const other = '0af7651916cd43dd8448eb211c80319c';
    const body = (trace: string) =>
      JSON.stringify({
        ...feedMessage('s', 'r', { type: 't', data: {} }),
        traceparent: `00-${trace}-${CLIENT_SPAN}-01`,
      });
    const handler = eventHandler(async (event: SQSEvent) => ({
      batchItemFailures: [{ itemIdentifier: event.Records[1]?.messageId ?? '' }],
    }));
    await handler(
      {
        Records: [
          {
            messageId: 'm1',
            eventSource: 'aws:sqs',
            body: body(TRACE),
            attributes: {},
            messageAttributes: {},
          },
          {
            messageId: 'm2',
            eventSource: 'aws:sqs',
            body: body(other),
            attributes: {},
            messageAttributes: {},
          },
        ],
      } as unknown as SQSEvent,
      lambdaContext as Context,
    );
    expect(spans.map((s) => [s.trace_id, s.parent_span_id, s.span_kind, s.status])).toEqual([
      [TRACE, CLIENT_SPAN, 'CONSUMER', 'ok'],
      [other, CLIENT_SPAN, 'CONSUMER', 'error'],
    ]);
  });

  it('keeps the trace of a forwarded error line', () => {
    const line = {
      level: 'ERROR',
      message: 'request failed',
      service: 'bookings',
      trace_id: TRACE,
      span_id: CLIENT_SPAN,
    };
    const [message] = errorFeedMessages({
      messageType: 'DATA_MESSAGE',
      logGroup: '/microservices/Microservices/bookings/bookings',
      logStream: 's',
      logEvents: [{ id: '1', timestamp: Date.now(), message: JSON.stringify(line) }],
    });
    expect(message?.traceparent).toBe(SENT);
  });
});
