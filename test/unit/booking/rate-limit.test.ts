import { describe, expect, it } from 'vitest';
import { limitedWrites } from '../../../functions/bookings/domain/bookings.js';
import {
  BOOKING_WRITES,
  decide,
  type HitCounter,
  rateLimiter,
  windowOf,
} from '../../../functions/bookings/domain/rate-limit.js';
import { TooManyRequestsError } from '../../../functions/shared/errors.js';
import { bookingWorld } from '../../support/booking-world.js';

const rule = { limit: 3, windowSeconds: 60 };
const at = (iso: string) => Date.parse(iso);

/** Counts in memory, noting each key's expiry, as the rate-limits table does. */
function memoryCounter() {
  const hits = new Map<string, number>();
  const expiries = new Map<string, number>();
  const counter: HitCounter = {
    async hit(key, expiresAt) {
      hits.set(key, (hits.get(key) ?? 0) + 1);
      expiries.set(key, expiresAt);
      return hits.get(key) ?? 0;
    },
  };
  return { counter, hits, expiries };
}

describe('the rate rule', () => {
  it('puts a moment in the fixed window it falls in', () => {
    expect(windowOf(at('2026-12-03T10:00:59.999Z'), rule)).toEqual({
      start: at('2026-12-03T10:00:00Z') / 1000,
      end: at('2026-12-03T10:01:00Z') / 1000,
    });
    expect(windowOf(at('2026-12-03T10:01:00Z'), rule).start).toBe(at('2026-12-03T10:01:00Z') / 1000);
  });

  it('accepts up to the limit in a window, then says when the next window opens', () => {
    const now = at('2026-12-03T10:00:15.200Z');
    expect(decide(1, rule, now)).toEqual({ accepted: true });
    expect(decide(3, rule, now)).toEqual({ accepted: true });
    expect(decide(4, rule, now)).toEqual({ accepted: false, retryAfterSeconds: 45 });
  });

  it('never tells a client to retry in less than a second', () => {
    expect(decide(4, rule, at('2026-12-03T10:00:59.999Z'))).toEqual({
      accepted: false,
      retryAfterSeconds: 1,
    });
  });

  it('limits booking writes to 30 a minute per person', () => {
    expect(BOOKING_WRITES).toEqual({ limit: 30, windowSeconds: 60 });
  });
});

describe('a per-person rate limiter', () => {
  it('refuses a person past the limit with TooManyRequests and Retry-After, others unaffected', async () => {
    let now = at('2026-12-03T10:00:10Z');
    const { counter } = memoryCounter();
    const limiter = rateLimiter({ counter, rule, now: () => now, kind: 'booking writes' });
    for (let i = 0; i < 3; i++) await limiter.take('ann');
    const refused = await limiter.take('ann').catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(TooManyRequestsError);
    expect(refused).toMatchObject({
      retryAfterSeconds: 50,
      message: 'at most 3 booking writes per 60 s per person; try again in 50 s',
    });
    await limiter.take('bob');
    now = at('2026-12-03T10:01:00Z');
    await limiter.take('ann');
  });

  it('keeps one counter per person and window, expiring after the window', async () => {
    const { counter, hits, expiries } = memoryCounter();
    const limiter = rateLimiter({ counter, rule, now: () => at('2026-12-03T10:00:10Z'), kind: 'writes' });
    await limiter.take('ann');
    await limiter.take('ann');
    const start = at('2026-12-03T10:00:00Z') / 1000;
    expect([...hits]).toEqual([[`writes#ann#${start}`, 2]]);
    expect(expiries.get(`writes#ann#${start}`)).toBeGreaterThanOrEqual(start + 60);
  });
});

describe('booking writes within the rate limit', () => {
  it('refuses a create past the limit before reserving anything', async () => {
    const world = bookingWorld(10);
    const { counter } = memoryCounter();
    const limiter = rateLimiter({
      counter,
      rule: { limit: 1, windowSeconds: 60 },
      now: () => 0,
      kind: 'writes',
    });
    const writes = limitedWrites(world.service, limiter);
    const request = { userId: 'u1', movieId: 'm1', showtimeId: 's1', seats: 1 };
    await writes.create(request);
    await expect(writes.create(request)).rejects.toBeInstanceOf(TooManyRequestsError);
    expect(world.bookings.rows.size).toBe(1);
    expect(world.movies.showtime.available).toBe(9);
  });
});
