/**
 * The RPC wire format (pure: no AWS imports). A request names its reply queue,
 * a correlation id and a deadline; a reply carries the same correlation id and
 * either a result or a typed error.
 */
import { DomainError, type ErrorCode } from '../errors.js';

export interface RpcRequest {
  v: 1;
  correlationId: string;
  replyTo: string;
  service: string;
  method: string;
  payload: unknown;
  /** Epoch milliseconds after which the caller no longer waits: the server drops the work. */
  deadline: number;
  /** The API request id, carried into the server's logs and feed events. */
  requestId: string;
  /** W3C trace context of the caller's span (the RPC call); the server's span is its child. */
  traceparent?: string;
}

/** Error codes a server replies with; the API maps them to statuses like local errors. */
export type RpcErrorCode = ErrorCode | 'UnknownMethod' | 'InternalError';

export type RpcReplyBody =
  | { ok: true; result: unknown }
  | { ok: false; error: { code: RpcErrorCode; message: string; fields?: unknown } };

/** A reply names the server's span in `traceparent`: a consumer of durable replies continues from it. */
export type RpcReply = { v: 1; correlationId: string; traceparent?: string } & RpcReplyBody;

/** A message that is not an RPC envelope: it cannot be answered, only retried into the DLQ. */
export class InvalidEnvelopeError extends Error {}

/** The remote service answered with an error; `code` says which kind. */
export class RemoteError extends DomainError {
  constructor(
    readonly service: string,
    readonly method: string,
    readonly code: RpcErrorCode,
    message: string,
    readonly fields?: unknown,
  ) {
    super(message);
  }
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null;

function parseJson(body: string): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(body);
  } catch {
    throw new InvalidEnvelopeError('not JSON');
  }
  if (!isRecord(value) || value.v !== 1 || typeof value.correlationId !== 'string') {
    throw new InvalidEnvelopeError('not an RPC envelope (v1 with a correlationId)');
  }
  return value;
}

export function parseRequest(body: string): RpcRequest {
  const value = parseJson(body);
  for (const field of ['replyTo', 'service', 'method', 'requestId'] as const) {
    if (typeof value[field] !== 'string' || value[field] === '')
      throw new InvalidEnvelopeError(`request has no ${field}`);
  }
  if (typeof value.deadline !== 'number' || !Number.isFinite(value.deadline)) {
    throw new InvalidEnvelopeError('request has no deadline');
  }
  return value as unknown as RpcRequest;
}

export function parseReply(body: string): RpcReply {
  const value = parseJson(body);
  if (value.ok === true) return value as unknown as RpcReply;
  if (value.ok === false && isRecord(value.error) && typeof value.error.code === 'string') {
    return value as unknown as RpcReply;
  }
  throw new InvalidEnvelopeError('reply has neither a result nor an error');
}
