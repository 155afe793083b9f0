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

/**
 * The single place where errors become HTTP statuses. Known domain errors keep
 * their message (it is meant for the client); anything else is a 500 with a
 * generic body, its details going to the logs only.
 */
export function toErrorResponse(error: unknown, requestId: string): { status: number; body: ErrorBody } {
  for (const [type, status, code] of STATUS_BY_ERROR) {
    if (error instanceof type) {
      const body: ErrorBody = { error: code, message: error.message, requestId };
      if (error instanceof ValidationError) body.fields = error.issues;
      return { status, body };
    }
  }
  return { status: 500, body: { error: 'InternalError', message: 'Internal server error', requestId } };
}
