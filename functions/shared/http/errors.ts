import {
  ERRORS,
  errorCode,
  type FieldIssue,
  IdempotencyKeyInUseError,
  IdempotencyKeyReusedError,
  TooManyRequestsError,
  ValidationError,
} from '../errors.js';
import { RemoteError } from '../rpc/envelope.js';
import { activeSpan } from '../trace/span.js';

/** The JSON body of every error response. */
export interface ErrorBody {
  error: string;
  message: string;
  /** Present on 400s, and on 409s and 422s about the `Idempotency-Key` header: each offending field, e.g. `query.param`. */
  fields?: FieldIssue[];
  requestId?: string;
  /** The request's trace (W3C trace id): `npm run trace <traceId>` shows every hop it took. */
  traceId?: string;
}

/**
 * The single place where errors become HTTP statuses, from each code's entry
 * in `ERRORS`. Known domain errors keep their message (it is meant for the
 * client). Another service's error reaches the client as it is only when its
 * code is one that is relayed (about the request itself); any other is a 502
 * naming the service. Anything else is a 500 with a generic body, its details
 * going to the logs only. A 429, and a 409 for a repeat of a request still
 * running, say when to try again (`Retry-After`, seconds).
 */
export function toErrorResponse(
  error: unknown,
  requestId: string,
): { status: number; body: ErrorBody; headers?: Record<string, string> } {
  const traceId = activeSpan()?.traceId;
  const ids = traceId ? { requestId, traceId } : { requestId };
  const code = errorCode(error);
  if (error instanceof RemoteError && !(code && ERRORS[code].relayed)) {
    return {
      status: 502,
      body: { error: 'BadGateway', message: `the ${error.service} service failed`, ...ids },
    };
  }
  if (!code || !(error instanceof Error)) {
    return { status: 500, body: { error: 'InternalError', message: 'Internal server error', ...ids } };
  }
  const body: ErrorBody = { error: code, message: error.message, ...ids };
  if (
    error instanceof ValidationError ||
    error instanceof IdempotencyKeyInUseError ||
    error instanceof IdempotencyKeyReusedError
  )
    body.fields = error.issues;
  else if (error instanceof RemoteError && Array.isArray(error.fields))
    body.fields = error.fields as FieldIssue[];
  if (error instanceof TooManyRequestsError || error instanceof IdempotencyKeyInUseError) {
    return { status: ERRORS[code].status, body, headers: { 'retry-after': String(error.retryAfterSeconds) } };
  }
  return { status: ERRORS[code].status, body };
}
