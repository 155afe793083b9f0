import { TooManyRequestsError } from '../../shared/errors.js';

/** At most `limit` requests per person in each fixed window of `windowSeconds`. */
export interface RateRule {
  limit: number;
  windowSeconds: number;
}

/**
 * Booking writes (creates and cancels) per person: a person books or cancels
 * a few times a minute; 30 leaves room for retries, and keeps one person
 * hammering a sold-out showtime at half a request a second.
 */
export const BOOKING_WRITES: RateRule = { limit: 30, windowSeconds: 60 };

/** The fixed window a moment (epoch ms) falls in, as epoch seconds: from `start` (included) to `end`. */
export function windowOf(nowMs: number, rule: RateRule): { start: number; end: number } {
  const start = Math.floor(nowMs / 1000 / rule.windowSeconds) * rule.windowSeconds;
  return { start, end: start + rule.windowSeconds };
}

/**
 * Whether the `count`-th request of a window (counting itself) is accepted;
 * if not, in how many whole seconds the next window opens (at least 1).
 */
export function decide(
  count: number,
  rule: RateRule,
  nowMs: number,
): { accepted: true } | { accepted: false; retryAfterSeconds: number } {
  if (count <= rule.limit) return { accepted: true };
  const { end } = windowOf(nowMs, rule);
  return { accepted: false, retryAfterSeconds: Math.max(1, Math.ceil(end - nowMs / 1000)) };
}

/** Counts requests under a key, atomically; the count lives until `expiresAt` (epoch seconds). */
export interface HitCounter {
  /** Adds one hit under `key` and answers how many it now has. */
  hit(key: string, expiresAt: number): Promise<number>;
}

/** Refused requests are counted too; their count is kept this long past the window, for clocks that disagree. */
const KEEP_AFTER_WINDOW_SECONDS = 60;

/**
 * A per-person rate limit on one kind of request: `take` counts the request
 * in the person's current window and throws TooManyRequests (with when to
 * try again) once the window has had more than the rule allows.
 */
export function rateLimiter(deps: { counter: HitCounter; rule: RateRule; now: () => number; kind: string }) {
  const { counter, rule, kind } = deps;
  return {
    async take(personId: string): Promise<void> {
      const now = deps.now();
      const window = windowOf(now, rule);
      const count = await counter.hit(
        `${kind}#${personId}#${window.start}`,
        window.end + KEEP_AFTER_WINDOW_SECONDS,
      );
      const decision = decide(count, rule, now);
      if (!decision.accepted)
        throw new TooManyRequestsError(
          `at most ${rule.limit} ${kind} per ${rule.windowSeconds} s per person; try again in ${decision.retryAfterSeconds} s`,
          decision.retryAfterSeconds,
        );
    },
  };
}

export type RateLimiter = ReturnType<typeof rateLimiter>;
