import { describe, expect, it } from 'vitest';
import * as errors from '../../../functions/shared/errors.js';
import {
  DeadlineExceededError,
  DomainError,
  ERROR_CODES,
  ERRORS,
  type ErrorCode,
  errorCode,
  NotFoundError,
  PayloadTooLargeError,
  TooManyRequestsError,
  ValidationError,
} from '../../../functions/shared/errors.js';
import { toErrorResponse } from '../../../functions/shared/http/errors.js';
import { RemoteError } from '../../../functions/shared/rpc/envelope.js';

type ErrorClass = (abstract new (...args: never[]) => DomainError) & { code: ErrorCode };

/** Every error class the module exports, found by what it is rather than listed again here. */
const classes = Object.entries(errors as Record<string, unknown>).filter(
  (entry): entry is [string, ErrorClass] =>
    typeof entry[1] === 'function' && entry[1].prototype instanceof DomainError,
);

function instanceOf(type: ErrorClass): DomainError {
  if (type === ValidationError) return new ValidationError([{ field: 'body.name', message: 'is required' }]);
  if (type === PayloadTooLargeError) return new PayloadTooLargeError(64);
  if (type === TooManyRequestsError) return new TooManyRequestsError('slow down', 30);
  return new (type as unknown as new (message: string) => DomainError)(`a ${type.code} happened`);
}

describe('error codes and statuses, declared once', () => {
  it('finds every error class of the module', () => {
    expect(classes.map(([name]) => name).sort()).toEqual([
      'ConflictError',
      'DeadlineExceededError',
      'ForbiddenError',
      'IdempotencyKeyInUseError',
      'IdempotencyKeyReusedError',
      'NotFoundError',
      'PayloadTooLargeError',
      'TooManyRequestsError',
      'UnauthorizedError',
      'UnsupportedMediaTypeError',
      'ValidationError',
    ]);
  });

  it('gives every error class its own code, and every code one class and a status', () => {
    const codes = classes.map(([, type]) => type.code);
    expect(new Set(codes).size).toBe(codes.length);
    expect([...codes].sort()).toEqual([...ERROR_CODES].sort());
    for (const code of ERROR_CODES) expect(ERRORS[code].status).toBeGreaterThanOrEqual(400);
  });

  it('keeps the wire codes clients and the API document know', () => {
    expect(ERROR_CODES).toEqual([
      'ValidationError',
      'Unauthorized',
      'Forbidden',
      'NotFound',
      'Conflict',
      'PayloadTooLarge',
      'UnsupportedMediaType',
      'TooManyRequests',
      'Timeout',
      'IdempotencyKeyInUse',
      'IdempotencyKeyReused',
    ]);
    expect(errorCode(new DeadlineExceededError('users.get did not answer'))).toBe('Timeout');
  });

  it('tells a client it made too many requests when to try again, in Retry-After', () => {
    expect(toErrorResponse(new TooManyRequestsError('at most 30 booking writes a minute', 17), 'r1')).toEqual(
      {
        status: 429,
        body: { error: 'TooManyRequests', message: 'at most 30 booking writes a minute', requestId: 'r1' },
        headers: { 'retry-after': '17' },
      },
    );
  });

  it('reads the code off the error, not its class name (which minification changes)', () => {
    class e extends NotFoundError {}
    expect(errorCode(new e('renamed'))).toBe('NotFound');
    expect(errorCode(new Error('NotFound'))).toBeUndefined();
    expect(errorCode({ code: 'NotFound' })).toBeUndefined();
  });

  it.each(classes)('answers %s over HTTP with its code and declared status', (_name, type) => {
    const error = instanceOf(type);
    expect(errorCode(error)).toBe(type.code);
    const response = toErrorResponse(error, 'r1');
    expect(response.status).toBe(ERRORS[type.code].status);
    expect(response.body).toMatchObject({ error: type.code, message: error.message, requestId: 'r1' });
  });

  it.each(ERROR_CODES)(
    'answers another service’s %s as declared: relayed with its status, or a 502',
    (code) => {
      const fields = [{ field: 'payload.id', message: 'is required' }];
      const response = toErrorResponse(new RemoteError('users', 'get', code, 'detail', fields), 'r1');
      if (ERRORS[code].relayed) {
        expect(response).toEqual({
          status: ERRORS[code].status,
          body: { error: code, message: 'detail', fields, requestId: 'r1' },
        });
      } else {
        expect(response).toEqual({
          status: 502,
          body: { error: 'BadGateway', message: 'the users service failed', requestId: 'r1' },
        });
      }
    },
  );

  it('relays exactly the answers about the request itself', () => {
    expect(ERROR_CODES.filter((code) => ERRORS[code].relayed)).toEqual([
      'ValidationError',
      'NotFound',
      'Conflict',
    ]);
  });
});
