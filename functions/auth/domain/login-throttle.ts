/**
 * Login throttling per email: the rule, and the loop that applies it through
 * a store. Pure of AWS: the store is a port (DynamoDB in production, a
 * fake in unit tests).
 *
 * The rule: failures are counted in a window of 15 minutes from the first
 * one. From the 5th failure in a window the email is blocked, for 30 s after
 * the 5th, doubling with each further failure (60 s, 120 s, ...), at most 15
 * minutes; attempts while blocked are refused (429 with `Retry-After`)
 * without checking the password, and do not count. A successful login
 * forgets the record.
 *
 * Each attempt is counted as a failure *before* the password is checked, in a
 * conditional write, and forgotten again if it succeeds: many attempts sent
 * at once cannot all pass the check before the first failure is recorded.
 */
import { TooManyRequestsError } from '../../shared/errors.js';

export const LOGIN_THROTTLE = {
  /** Failures in one window before the email is blocked. */
  failuresAllowed: 5,
  windowMs: 15 * 60 * 1000,
  /** The block after the last allowed failure; each further failure doubles it. */
  firstBlockMs: 30 * 1000,
  longestBlockMs: 15 * 60 * 1000,
} as const;

/** What is kept per email. */
export interface LoginAttempts {
  /** Failures in the current window (attempts in flight included). */
  failures: number;
  /** Epoch ms of the first failure of the window. */
  windowStart: number;
  /** Epoch ms until which attempts are refused; absent when not blocked. */
  blockedUntil?: number | undefined;
}

/** How long attempts are refused after the `failures`-th failure of a window (0: not blocked). */
export function blockAfter(failures: number, rule = LOGIN_THROTTLE): number {
  if (failures < rule.failuresAllowed) return 0;
  const doublings = failures - rule.failuresAllowed;
  // 2 ** 20 is past any cap; larger exponents only risk Infinity arithmetic.
  return Math.min(rule.firstBlockMs * 2 ** Math.min(doublings, 20), rule.longestBlockMs);
}

/** Whole seconds until the email may try again, or 0 when it may try now. */
export function retryAfterSeconds(record: LoginAttempts | undefined, now: number): number {
  const until = record?.blockedUntil;
  return until !== undefined && until > now ? Math.ceil((until - now) / 1000) : 0;
}

/** The record once one more attempt is counted as failed at `now` (a new window if the last one ended). */
export function withFailure(
  record: LoginAttempts | undefined,
  now: number,
  rule = LOGIN_THROTTLE,
): LoginAttempts {
  const current = record && now - record.windowStart < rule.windowMs ? record : undefined;
  const failures = (current?.failures ?? 0) + 1;
  const block = blockAfter(failures, rule);
  return {
    failures,
    windowStart: current?.windowStart ?? now,
    ...(block > 0 ? { blockedUntil: now + block } : {}),
  };
}

/** Epoch second after which a record no longer matters: its window has ended and any block is over. */
export function expiresAt(record: LoginAttempts, rule = LOGIN_THROTTLE): number {
  return Math.ceil(Math.max(record.windowStart + rule.windowMs, record.blockedUntil ?? 0) / 1000);
}

/** Port to where the records are kept, keyed by the normalised email. */
export interface LoginAttemptStore {
  read(email: string): Promise<LoginAttempts | undefined>;
  /**
   * Writes `next` if the record is still `previous` (undefined: there is none);
   * false when another attempt changed it first.
   */
  replace(email: string, previous: LoginAttempts | undefined, next: LoginAttempts): Promise<boolean>;
  forget(email: string): Promise<void>;
}

/** Writes lost to concurrent attempts before this one gives up (and is refused for a second). */
const MAX_CONFLICTS = 8;

/**
 * Counts an attempt for `email` in advance, or refuses it: TooManyRequestsError
 * while the email is blocked, or when so many attempts race that this one
 * could not be counted.
 */
export async function admitAttempt(store: LoginAttemptStore, email: string, now: number): Promise<void> {
  for (let conflicts = 0; conflicts < MAX_CONFLICTS; conflicts++) {
    const record = await store.read(email);
    const wait = retryAfterSeconds(record, now);
    if (wait > 0) throw tooMany(wait);
    if (await store.replace(email, record, withFailure(record, now))) return;
  }
  throw tooMany(1);
}

const tooMany = (seconds: number) =>
  new TooManyRequestsError(`too many failed logins for this email: try again in ${seconds} s`, seconds);
