/**
 * Typed errors thrown by domain code and shared pieces. They say *what* went
 * wrong; the HTTP error middleware alone decides which status code that is.
 */

/** One problem with one input field, e.g. `{ field: 'query.param', message: 'is required' }`. */
export interface FieldIssue {
  field: string;
  message: string;
}

export class DomainError extends Error {
  constructor(message?: string) {
    super(message);
    this.name = new.target.name;
  }
}

/** The request (or a domain input) is malformed; `issues` name each offending field. */
export class ValidationError extends DomainError {
  constructor(readonly issues: FieldIssue[]) {
    super(issues.map((issue) => `${issue.field} ${issue.message}`).join('; '));
  }
}

/** The request body is larger than the route accepts. */
export class PayloadTooLargeError extends DomainError {
  constructor(readonly limitBytes: number) {
    super(`request body must be at most ${limitBytes} bytes`);
  }
}

/** The request body is not sent as a media type the route reads (JSON bodies need `application/json`). */
export class UnsupportedMediaTypeError extends DomainError {}

export class NotFoundError extends DomainError {}

export class ConflictError extends DomainError {}

/** The caller is not authenticated (no, malformed, expired or foreign token; wrong credentials). */
export class UnauthorizedError extends DomainError {}

/** The caller is authenticated but may not do this. */
export class ForbiddenError extends DomainError {}

/** A downstream dependency did not answer in time. */
export class DeadlineExceededError extends DomainError {}

/** Stable names of the domain errors, shared by HTTP answers and RPC replies. */
export type ErrorCode =
  | 'ValidationError'
  | 'Unauthorized'
  | 'Forbidden'
  | 'NotFound'
  | 'Conflict'
  | 'PayloadTooLarge'
  | 'UnsupportedMediaType'
  | 'Timeout';

// Spelled out: class names do not survive minification.
const CODES: ReadonlyArray<readonly [new (...args: never[]) => DomainError, ErrorCode]> = [
  [ValidationError, 'ValidationError'],
  [UnauthorizedError, 'Unauthorized'],
  [ForbiddenError, 'Forbidden'],
  [NotFoundError, 'NotFound'],
  [ConflictError, 'Conflict'],
  [PayloadTooLargeError, 'PayloadTooLarge'],
  [UnsupportedMediaTypeError, 'UnsupportedMediaType'],
  [DeadlineExceededError, 'Timeout'],
];

/** The code of a domain error; undefined for anything else (a bug, an outage). */
export function errorCode(error: unknown): ErrorCode | undefined {
  return CODES.find(([type]) => error instanceof type)?.[1];
}
