import { type ErrorCode, errorCode, type FieldIssue, ValidationError } from '../errors.js';
import { RemoteError } from '../rpc/envelope.js';

/** The JSON body of every error response. */
export interface ErrorBody {
  error: string;
  message: string;
  /** Present on 400s: each offending field, e.g. `query.param`. */
  fields?: FieldIssue[];
  requestId?: string;
}

const STATUS: Record<ErrorCode, number> = {
  ValidationError: 400,
  Unauthorized: 401,
  Forbidden: 403,
  NotFound: 404,
  Conflict: 409,
  PayloadTooLarge: 413,
  UnsupportedMediaType: 415,
  Timeout: 504,
};

/** What another service may answer that the client should see as such; any other remote failure is a 502. */
const PASSED_THROUGH: ReadonlySet<string> = new Set<ErrorCode>(['NotFound', 'Conflict', 'ValidationError']);

/**
 * The single place where errors become HTTP statuses. Known domain errors keep
 * their message (it is meant for the client); anything else is a 500 with a
 * generic body, its details going to the logs only.
 */
export function toErrorResponse(error: unknown, requestId: string): { status: number; body: ErrorBody } {
  if (error instanceof RemoteError) {
    if (!PASSED_THROUGH.has(error.code)) {
      return {
        status: 502,
        body: { error: 'BadGateway', message: `the ${error.service} service failed`, requestId },
      };
    }
    const body: ErrorBody = { error: error.code, message: error.message, requestId };
    if (Array.isArray(error.fields)) body.fields = error.fields as FieldIssue[];
    return { status: STATUS[error.code as ErrorCode], body };
  }
  const code = errorCode(error);
  if (code && error instanceof Error) {
    const body: ErrorBody = { error: code, message: error.message, requestId };
    if (error instanceof ValidationError) body.fields = error.issues;
    return { status: STATUS[code], body };
  }
  return { status: 500, body: { error: 'InternalError', message: 'Internal server error', requestId } };
}
