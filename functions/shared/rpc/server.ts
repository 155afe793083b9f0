import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { safeParse } from 'zod/mini';
import type * as z from 'zod/v4/core';
import { errorCode, ValidationError } from '../errors.js';
import { logger } from '../logger.js';
import { parseRequest, type RpcErrorCode, type RpcReplyBody, type RpcRequest } from './envelope.js';
import type { RpcTransport } from './transport.js';

/** One remotely callable method: its payload schema and what it does. */
export interface RpcMethod<S extends z.$ZodType = z.$ZodType> {
  input: S;
  handle: (payload: z.output<S>, context: { requestId: string }) => Promise<unknown>;
}

export type RpcMethods = Readonly<Record<string, RpcMethod>>;

/** Declares a method with its payload type inferred from the schema. */
export function rpcMethod<S extends z.$ZodType>(method: RpcMethod<S>): RpcMethod<S> {
  return method;
}

export interface RpcServerOptions {
  transport: RpcTransport;
  now?: () => number;
}

/**
 * Turns a map of methods into an SQS event-source handler with partial batch
 * failures. Expired work is dropped; an unknown method or invalid payload gets
 * an error reply (never a retry loop); domain errors are replied typed; an
 * unexpected failure or an unreadable message is reported as a batch item
 * failure, so SQS retries it and, in the end, parks it in the service's DLQ.
 */
export function rpcServer(
  service: string,
  methods: RpcMethods,
  { transport, now = Date.now }: RpcServerOptions,
) {
  const reply = (request: RpcRequest, body: RpcReplyBody) =>
    transport.send(request.replyTo, JSON.stringify({ v: 1, correlationId: request.correlationId, ...body }));
  const fail = (request: RpcRequest, code: RpcErrorCode, message: string, fields?: unknown) =>
    reply(request, { ok: false, error: { code, message, ...(fields ? { fields } : {}) } });

  async function handleOne(body: string): Promise<void> {
    const request = parseRequest(body);
    const log = {
      service,
      method: request.method,
      correlationId: request.correlationId,
      requestId: request.requestId,
    };
    if (now() > request.deadline) {
      logger.warn('rpc request dropped: its deadline passed', log);
      return;
    }
    const method = methods[request.method];
    if (!method) {
      await fail(request, 'UnknownMethod', `${service} has no method "${request.method}"`);
      return;
    }
    const payload = safeParse(method.input, request.payload);
    if (!payload.success) {
      const fields = payload.error.issues.map((i) => ({
        field: ['payload', ...i.path.map(String)].join('.'),
        message: i.message,
      }));
      await fail(request, 'ValidationError', `invalid payload for ${service}.${request.method}`, fields);
      return;
    }
    try {
      const result = await method.handle(payload.data, { requestId: request.requestId });
      await reply(request, { ok: true, result: result ?? null });
    } catch (error) {
      const code = errorCode(error);
      if (!code || !(error instanceof Error)) throw error;
      await fail(request, code, error.message, error instanceof ValidationError ? error.issues : undefined);
    }
  }

  return async (event: SQSEvent): Promise<SQSBatchResponse> => {
    const failures: string[] = [];
    await Promise.all(
      event.Records.map(async (record) => {
        try {
          await handleOne(record.body);
        } catch (error) {
          logger.error('rpc request failed; SQS will retry it', {
            service,
            messageId: record.messageId,
            error,
          });
          failures.push(record.messageId);
        }
      }),
    );
    return { batchItemFailures: failures.map((itemIdentifier) => ({ itemIdentifier })) };
  };
}
