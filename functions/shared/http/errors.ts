import {
  ConflictError,
  DeadlineExceededError,
  type FieldIssue,
  ForbiddenError,
  NotFoundError,
  PayloadTooLargeError,
  UnauthorizedError,
  ValidationError,
} from '../errors.js';
import { RemoteError, type RpcErrorCode } from '../rpc/envelope.js';

/** The JSON body of every error response. */
export interface ErrorBody {
  error: string;
  message: string;
  /** Present on 400s: each offending field, e.g. `query.param`. */
  fields?: FieldIssue[];
  requestId?: string;
}

// Codes are spelled out: class names do not survive minification.
const STATUS_BY_ERROR: ReadonlyArray<readonly [new (...args: never[]) => Error, number, string]> = [
  [ValidationError, 400, 'ValidationError'],
  [UnauthorizedError, 401, 'Unauthorized'],
  [ForbiddenError, 403, 'Forbidden'],
  [NotFoundError, 404, 'NotFound'],
  [ConflictError, 409, 'Conflict'],
  [PayloadTooLargeError, 413, 'PayloadTooLarge'],
  [DeadlineExceededError, 504, 'Timeout'],
];

/** Errors another service answered over RPC, by their code; anything else from a service is a bad gateway. */
const STATUS_BY_REMOTE_CODE: Partial<Record<RpcErrorCode, readonly [number, string]>> = {
  NotFound: [404, 'NotFound'],
  Conflict: [409, 'Conflict'],
  ValidationError: [400, 'ValidationError'],
};

/**
 * The single place where errors become HTTP statuses. Known domain errors keep
 * their message (it is meant for the client); anything else is a 500 with a
 * generic body, its details going to the logs only.
 */
export function toErrorResponse(error: unknown, requestId: string): { status: number; body: ErrorBody } {
  if (error instanceof RemoteError) {
    const known = STATUS_BY_REMOTE_CODE[error.code];
    if (!known)
      return {
        status: 502,
        body: { error: 'BadGateway', message: `the ${error.service} service failed`, requestId },
      };
    const body: ErrorBody = { error: known[1], message: error.message, requestId };
    if (Array.isArray(error.fields)) body.fields = error.fields as FieldIssue[];
    return { status: known[0], body };
  }
  for (const [type, status, code] of STATUS_BY_ERROR) {
    if (error instanceof type) {
      const body: ErrorBody = { error: code, message: error.message, requestId };
      if (error instanceof ValidationError) body.fields = error.issues;
      return { status, body };
    }
  }
  return { status: 500, body: { error: 'InternalError', message: 'Internal server error', requestId } };
}
