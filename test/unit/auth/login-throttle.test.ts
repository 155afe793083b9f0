import { describe, expect, it } from 'vitest';
import { type IdentityProvider, type LoginDeps, logIn } from '../../../functions/auth/domain/identity.js';
import {
  blockAfter,
  expiresAt,
  LOGIN_THROTTLE,
  retryAfterSeconds,
  withFailure,
} from '../../../functions/auth/domain/login-throttle.js';
import { TooManyRequestsError, UnauthorizedError } from '../../../functions/shared/errors.js';
import { memoryLoginAttempts } from '../../support/memory-login-attempts.js';

const MINUTE = 60_000;
const RIGHT = 'Corr3ct-horse!';

/** One account (ann@example.com), a clock the test moves, and how many checks reached the provider. */
function world() {
  let clock = 1_000_000;
  let checked = 0;
  const provider: IdentityProvider = {
    signUp: async () => ({ userId: 'sub-1' }),
    logIn: async (email, password) => {
      checked++;
      if (email !== 'ann@example.com' || password !== RIGHT)
        throw new UnauthorizedError('wrong email or password');
      return {
        userId: 'sub-1',
        tokens: { accessToken: 'a', idToken: 'i', refreshToken: 'r', expiresIn: 3600, tokenType: 'Bearer' },
      };
    },
    refresh: async () => ({ accessToken: 'a', idToken: 'i', expiresIn: 3600, tokenType: 'Bearer' }),
    revoke: async () => {},
    deleteUser: async () => {},
  };
  const attempts = memoryLoginAttempts();
  const deps: LoginDeps = { provider, profiles: { ensure: async () => {} }, attempts, now: () => clock };
  const attempt = (password: string, email = 'ann@example.com') =>
    logIn(deps, { email, password }).then(
      () => 'ok' as const,
      (error: unknown) => error,
    );
  return {
    attempt,
    attempts,
    advance: (ms: number) => {
      clock += ms;
    },
    checked: () => checked,
  };
}

const retryAfterOf = (outcome: unknown) => {
  expect(outcome).toBeInstanceOf(TooManyRequestsError);
  return (outcome as TooManyRequestsError).retryAfterSeconds;
};

describe('the throttle rule', () => {
  it('blocks from the 5th failure: 30 s, doubling with each further failure, at most 15 minutes', () => {
    expect([1, 2, 3, 4].map((n) => blockAfter(n))).toEqual([0, 0, 0, 0]);
    expect([5, 6, 7, 8, 9, 10, 11, 60].map((n) => blockAfter(n) / 1000)).toEqual([
      30, 60, 120, 240, 480, 900, 900, 900,
    ]);
  });

  it('counts failures in a window of 15 minutes from the first, then starts a new one', () => {
    let record = withFailure(undefined, 0);
    record = withFailure(record, 14 * MINUTE);
    expect(record).toEqual({ failures: 2, windowStart: 0 });
    expect(withFailure(record, 15 * MINUTE)).toEqual({ failures: 1, windowStart: 15 * MINUTE });
  });

  it('says how long to wait in whole seconds, and nothing once the block is over', () => {
    const blocked = { failures: 5, windowStart: 0, blockedUntil: 30_000 };
    expect(retryAfterSeconds(blocked, 0)).toBe(30);
    expect(retryAfterSeconds(blocked, 29_001)).toBe(1);
    expect(retryAfterSeconds(blocked, 30_000)).toBe(0);
    expect(retryAfterSeconds(undefined, 0)).toBe(0);
  });

  it('keeps a record until both its window and its block are over', () => {
    expect(expiresAt({ failures: 1, windowStart: 0 })).toBe(LOGIN_THROTTLE.windowMs / 1000);
    expect(expiresAt({ failures: 12, windowStart: 0, blockedUntil: 20 * MINUTE })).toBe(20 * 60);
  });
});

describe('login throttling per email', () => {
  it('answers the sixth attempt after 5 failures with 429 and Retry-After, without checking the password', async () => {
    const { attempt, checked } = world();
    for (let i = 0; i < 5; i++) expect(await attempt('wrong')).toBeInstanceOf(UnauthorizedError);
    expect(retryAfterOf(await attempt(RIGHT))).toBe(30);
    expect(checked()).toBe(5);
  });

  it('grows the wait with each failure after a block', async () => {
    const { attempt, advance } = world();
    for (let i = 0; i < 5; i++) await attempt('wrong');
    advance(30_000);
    expect(await attempt('wrong')).toBeInstanceOf(UnauthorizedError);
    expect(retryAfterOf(await attempt(RIGHT))).toBe(60);
    advance(60_000);
    expect(await attempt('wrong')).toBeInstanceOf(UnauthorizedError);
    expect(retryAfterOf(await attempt(RIGHT))).toBe(120);
  });

  it('lets the right password in once the block is over, and a success forgets the failures', async () => {
    const { attempt, advance, attempts } = world();
    for (let i = 0; i < 5; i++) await attempt('wrong');
    advance(30_000);
    expect(await attempt(RIGHT)).toBe('ok');
    expect(attempts.records.size).toBe(0);
    for (let i = 0; i < 4; i++) expect(await attempt('wrong')).toBeInstanceOf(UnauthorizedError);
    expect(await attempt(RIGHT)).toBe('ok');
  });

  it('does not block failures spread wider than the window', async () => {
    const { attempt, advance } = world();
    for (let i = 0; i < 8; i++) {
      expect(await attempt('wrong')).toBeInstanceOf(UnauthorizedError);
      advance(4 * MINUTE);
    }
  });

  it('throttles each email on its own, and unknown emails alike', async () => {
    const { attempt } = world();
    for (let i = 0; i < 5; i++) await attempt('wrong', 'nobody@example.com');
    expect(await attempt('wrong', 'nobody@example.com')).toBeInstanceOf(TooManyRequestsError);
    expect(await attempt(RIGHT)).toBe('ok');
  });

  it('lets no more than 5 of many simultaneous attempts reach the password check', async () => {
    const { attempt, checked } = world();
    const outcomes = await Promise.all(Array.from({ length: 20 }, () => attempt('wrong')));
    expect(checked()).toBeLessThanOrEqual(5);
    expect(outcomes.filter((o) => o instanceof TooManyRequestsError).length).toBeGreaterThanOrEqual(15);
  });
});
