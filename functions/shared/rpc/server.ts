import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import type { SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { safeParse } from 'zod/mini';
import { errorCode, ValidationError } from '../errors.js';
import { logger } from '../logger.js';
import { recordMetric } from '../metrics.js';
import { METRIC } from '../metrics-catalog.js';
import { contextOfRecord } from '../trace/carriers.js';
import { formatTraceparent } from '../trace/context.js';
import { activeSpan, inSpan } from '../trace/span.js';
import type { Implementation, RpcContext, ServiceContract } from './contract.js';
import {
  InvalidEnvelopeError,
  parseRequest,
  RemoteError,
  type RpcErrorCode,
  type RpcReplyBody,
  type RpcRequest,
} from './envelope.js';
import type { RpcTransport } from './transport.js';

export interface RpcServerOptions {
  transport: RpcTransport;
  /**
   * Where a message that is not an RPC request goes at once: no retry can
   * ever make it readable, so it is parked instead of blocking the queue for
   * maxReceiveCount visibility timeouts.
   */
  deadLetterQueueUrl: string;
  now?: () => number;
}

/**
 * Turns a contract and its implementation into an SQS event-source handler
 * with partial batch failures (Powertools batch). Work whose deadline passed is
 * dropped (the caller has moved on, and compensates with idempotent calls of
 * its own); an unknown method or invalid payload gets an error reply (never a
 * retry loop); domain errors are replied typed; an error another service
 * answered a call made while serving the request is replied with the code it
 * came with (retrying would only repeat the same call, and keep the caller
 * waiting until its deadline); results are validated against the declared
 * output; an unexpected failure is a batch item failure, so SQS retries it
 * and, in the end, parks it in the service's DLQ. Every message taken from the
 * queue counts in RpcHandled, under `operation=<service>.<method>` when the
 * method is one of the contract's; those answered with an error, retried or
 * parked in RpcFailed; those finished (or dropped) after their deadline in RpcLate.
 * Every request is a SERVER span (`<service>.<method>`), a child of the
 * caller's span named in the envelope; an error reply ends it as an error
 * with the code replied, a dropped request with `DeadlineExceeded`, and the
 * reply names it, so a consumer of durable replies continues the trace.
 */
export function rpcServer<C extends ServiceContract>(
  contract: C,
  implementation: Implementation<C>,
  { transport, deadLetterQueueUrl, now = Date.now }: RpcServerOptions,
) {
  const { service } = contract;
  /** The code each failed request was answered with, for its span. */
  const failedWith = new WeakMap<RpcRequest, RpcErrorCode>();
  const reply = (request: RpcRequest, body: RpcReplyBody) => {
    const span = activeSpan();
    return transport.send(
      request.replyTo,
      JSON.stringify({
        v: 1,
        correlationId: request.correlationId,
        ...(span ? { traceparent: formatTraceparent(span) } : {}),
        ...body,
      }),
    );
  };
  const fail = (request: RpcRequest, code: RpcErrorCode, message: string, fields?: unknown) => {
    failedWith.set(request, code);
    return reply(request, { ok: false, error: { code, message, ...(fields ? { fields } : {}) } });
  };

  /** Handles one request: `ok` when it was answered with a result, `failed` with an error, `dropped` when too late. */
  async function handleOne(request: RpcRequest): Promise<'ok' | 'failed' | 'dropped'> {
    const log = {
      service,
      method: request.method,
      correlationId: request.correlationId,
      requestId: request.requestId,
    };
    if (now() > request.deadline) {
      logger.warn('rpc request dropped: its deadline passed', log);
      return 'dropped';
    }
    const name = request.method as keyof C['methods'] & string;
    const method = Object.hasOwn(contract.methods, name) ? contract.methods[name] : undefined;
    const handle = implementation[name] as
      | ((input: unknown, context: RpcContext) => Promise<unknown>)
      | undefined;
    if (!method || !handle) {
      await fail(request, 'UnknownMethod', `${service} has no method "${request.method}"`);
      return 'failed';
    }
    const payload = safeParse(method.input, request.payload);
    if (!payload.success) {
      const fields = payload.error.issues.map((i) => ({
        field: ['payload', ...i.path.map(String)].join('.'),
        message: i.message,
      }));
      await fail(request, 'ValidationError', `invalid payload for ${service}.${request.method}`, fields);
      return 'failed';
    }
    let result: unknown;
    try {
      result = await handle(payload.data, { requestId: request.requestId, deadline: request.deadline });
    } catch (error) {
      if (error instanceof RemoteError) {
        logger.warn('rpc request failed in a call to another service; replied with its error', {
          ...log,
          downstream: `${error.service}.${error.method}`,
          code: error.code,
          reason: error.message,
        });
        await fail(request, error.code, error.message, error.fields);
        return 'failed';
      }
      const code = errorCode(error);
      if (!code || !(error instanceof Error)) throw error;
      await fail(request, code, error.message, error instanceof ValidationError ? error.issues : undefined);
      return 'failed';
    }
    if (now() > request.deadline) {
      // The caller gave up; it releases what this did with its own idempotent call.
      logger.warn('rpc request finished after its deadline', log);
    }
    const output = safeParse(method.output, result ?? null);
    if (!output.success) {
      logger.error('rpc result outside the contract', { ...log, issues: output.error.issues });
      await fail(request, 'InternalError', `${service}.${request.method} failed`);
      return 'failed';
    }
    await reply(request, { ok: true, result: output.data });
    return 'ok';
  }

  /** Counts one message taken from the queue; the operation only for a declared method (callers name the rest). */
  const measure = (request: RpcRequest | undefined, outcome: 'ok' | 'failed' | 'dropped') => {
    const by =
      request && Object.hasOwn(contract.methods, request.method)
        ? { operation: `${service}.${request.method}` }
        : {};
    recordMetric(METRIC.rpcHandled, 1, by);
    recordMetric(METRIC.rpcFailed, outcome === 'failed' ? 1 : 0, by);
    recordMetric(METRIC.rpcLate, request && now() > request.deadline ? 1 : 0, by);
  };

  const processor = new BatchProcessor(EventType.SQS);
  const handleRecord = async (record: SQSRecord): Promise<void> => {
    let request: RpcRequest | undefined;
    let outcome: 'ok' | 'failed' | 'dropped' = 'failed';
    try {
      const parsed = parseRequest(record.body);
      request = parsed;
      outcome = await inSpan(`${service}.${parsed.method}`, 'SERVER', () => handleOne(parsed), {
        // The envelope's field first (contextOfRecord reads it), then SQS's attributes.
        parent: contextOfRecord(record) ?? null,
        attributes: { requestId: parsed.requestId, 'rpc.service': service, 'rpc.method': parsed.method },
        outcomeOf: (done) =>
          done === 'ok'
            ? { status: 'ok' }
            : { status: 'error', errorCode: failedWith.get(parsed) ?? 'DeadlineExceeded' },
      });
    } catch (error) {
      if (error instanceof InvalidEnvelopeError) {
        logger.error('not an rpc request: parked in the dead-letter queue', {
          service,
          messageId: record.messageId,
          reason: error.message,
        });
        await transport.send(deadLetterQueueUrl, record.body);
        return;
      }
      logger.error('rpc request failed; SQS will retry it', { service, messageId: record.messageId, error });
      throw error;
    } finally {
      measure(request, outcome);
    }
  };

  return (event: SQSEvent): Promise<SQSBatchResponse> =>
    processPartialResponse(event, handleRecord, processor, {
      processInParallel: true,
      throwOnFullBatchFailure: false,
    });
}
