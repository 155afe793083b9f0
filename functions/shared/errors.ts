/**
 * Typed errors thrown by domain code and shared pieces. They say *what* went
 * wrong; the HTTP error middleware alone decides which status code that is,
 * from the table below.
 */

/** One problem with one input field, e.g. `{ field: 'query.param', message: 'is required' }`. */
export interface FieldIssue {
  field: string;
  message: string;
}

/**
 * Every kind of failure a client may be told about, declared once: its wire
 * code (the `error` of an HTTP body, the `code` of an RPC reply; clients and
 * the API document rely on these names), its HTTP status, and whether a
 * service that receives it from another service relays it to its own caller
 * as it is (it is about the request itself) or reports the other service as
 * failed (it is about how that service was called, or that it did not answer).
 */
export const ERRORS = {
  ValidationError: { status: 400, relayed: true },
  Unauthorized: { status: 401, relayed: false },
  Forbidden: { status: 403, relayed: false },
  NotFound: { status: 404, relayed: true },
  Conflict: { status: 409, relayed: true },
  PayloadTooLarge: { status: 413, relayed: false },
  UnsupportedMediaType: { status: 415, relayed: false },
  TooManyRequests: { status: 429, relayed: false },
  Timeout: { status: 504, relayed: false },
  IdempotencyKeyInUse: { status: 409, relayed: false },
  IdempotencyKeyReused: { status: 422, relayed: false },
} as const satisfies Record<string, { status: number; relayed: boolean }>;

/** Stable names of the domain errors, shared by HTTP answers and RPC replies. */
export type ErrorCode = keyof typeof ERRORS;

/** Every {@link ErrorCode}, for code that checks a code read off the wire. */
export const ERROR_CODES = Object.keys(ERRORS) as ErrorCode[];

/** True when `code` is one of the domain error codes. */
export const isErrorCode = (code: unknown): code is ErrorCode =>
  typeof code === 'string' && Object.hasOwn(ERRORS, code);

/** An error that carries its wire code (class names do not survive minification, so never `constructor.name`). */
export abstract class DomainError extends Error {
  abstract readonly code: string;

  constructor(message?: string) {
    super(message);
    this.name = new.target.name;
  }
}

/** The base class of the errors with code `code`: `class NotFoundError extends domainError('NotFound') {}`. */
function domainError<const C extends ErrorCode>(code: C) {
  return class extends DomainError {
    static readonly code: C = code;
    readonly code: C = code;
  };
}

/** The request (or a domain input) is malformed; `issues` name each offending field. */
export class ValidationError extends domainError('ValidationError') {
  constructor(readonly issues: FieldIssue[]) {
    super(issues.map((issue) => `${issue.field} ${issue.message}`).join('; '));
  }
}

/** The request body is larger than the route accepts. */
export class PayloadTooLargeError extends domainError('PayloadTooLarge') {
  constructor(readonly limitBytes: number) {
    super(`request body must be at most ${limitBytes} bytes`);
  }
}

/** The request body is not sent as a media type the route reads (JSON bodies need `application/json`). */
export class UnsupportedMediaTypeError extends domainError('UnsupportedMediaType') {}

export class NotFoundError extends domainError('NotFound') {}

export class ConflictError extends domainError('Conflict') {}

/** The caller is not authenticated (no, malformed, expired or foreign token; wrong credentials). */
export class UnauthorizedError extends domainError('Unauthorized') {}

/** The caller is authenticated but may not do this. */
export class ForbiddenError extends domainError('Forbidden') {}

/** The caller has tried too often; they may try again after `retryAfterSeconds` (the `Retry-After` header). */
export class TooManyRequestsError extends domainError('TooManyRequests') {
  constructor(
    message: string,
    readonly retryAfterSeconds: number,
  ) {
    super(message);
  }
}

/** The HTTP header that makes a state-changing request safe to repeat (functions/shared/http/idempotency.ts). */
export const IDEMPOTENCY_KEY_HEADER = 'Idempotency-Key';

const idempotencyKeyIssue = (message: string): FieldIssue[] => [
  { field: `headers.${IDEMPOTENCY_KEY_HEADER}`, message },
];

/**
 * A request with this caller's `Idempotency-Key` is still being acted on
 * (409, as the IETF draft says): the client retries after `retryAfterSeconds`
 * and then gets that request's answer.
 */
export class IdempotencyKeyInUseError extends domainError('IdempotencyKeyInUse') {
  readonly issues = idempotencyKeyIssue('belongs to a request that is still running; retry shortly');
  readonly retryAfterSeconds = 1;

  constructor() {
    super(`a request with this ${IDEMPOTENCY_KEY_HEADER} is still running; retry shortly for its answer`);
  }
}

/**
 * This caller already sent this `Idempotency-Key` to this route with another
 * request (body, path or query): 422, as the IETF draft says. A new request needs a new key.
 */
export class IdempotencyKeyReusedError extends domainError('IdempotencyKeyReused') {
  readonly issues = idempotencyKeyIssue('was already used for a different request; send a new key');

  constructor() {
    super(`this ${IDEMPOTENCY_KEY_HEADER} was already used for a different request; send a new key`);
  }
}

/** A downstream dependency did not answer in time. */
export class DeadlineExceededError extends domainError('Timeout') {}

/**
 * The code of a domain error, including one another service answered with
 * (a `RemoteError` keeps the code it crossed the hop with); undefined for
 * anything else (a bug, an outage, an RPC protocol failure).
 */
export function errorCode(error: unknown): ErrorCode | undefined {
  return error instanceof DomainError && isErrorCode(error.code) ? error.code : undefined;
}
