/**
 * Bookings as an attacker would use them, through the deployed stack: many
 * refused bookings must not grow a movie's item nor stop its other showtimes
 * from selling; a showtime that has started, and more seats of one showtime
 * than a person may hold, are refused; booking writes past a person's rate
 * limit are answered 429 with Retry-After.
 */
import { randomUUID } from 'node:crypto';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { ulid } from 'ulid';
import { beforeAll, describe, expect, it } from 'vitest';
import { BOOKING_WRITES } from '../../functions/bookings/domain/rate-limit.js';
import { SEATS_PER_PERSON } from '../../functions/movies/domain/movies.js';
import { moviesService } from '../../functions/movies/service.js';
import { book, call, type Person, retryTimedOut, signUp, signUpAdmin } from './people.js';
import { dynamo, resources } from './support.js';

let admin: Person;
beforeAll(async () => {
  admin = await signUpAdmin();
});

/** A new movie with the given showtimes; answers it as created. */
async function newMovie(showtimes: Array<{ startsAt: string; seats: number }>) {
  const response = await call('POST', 'movies', {
    as: admin,
    body: { title: `Abuse ${randomUUID().slice(0, 6)}`, rating: 5, showtimes },
  });
  expect(response.status).toBe(201);
  return response.body as {
    id: string;
    showtimes: Array<{ id: string; startsAt: string; available: number }>;
  };
}

/**
 * Runs the calls a few at a time, answering in order: the local stack shares
 * two cores with everything else, and a burst of cold starts would test that
 * instead of the rule.
 */
async function inTurns<T>(calls: Array<() => Promise<T>>, atOnce = 5): Promise<T[]> {
  const results: T[] = [];
  for (let i = 0; i < calls.length; i += atOnce)
    results.push(...(await Promise.all(calls.slice(i, i + atOnce).map((run) => run()))));
  return results;
}

/** The movie's item as stored, every attribute. */
const movieItem = async (id: string) =>
  (
    await dynamo.send(
      new GetCommand({
        TableName: resources.table(moviesService, 'movies'),
        Key: { id },
        ConsistentRead: true,
      }),
    )
  ).Item;

describe('a sold-out showtime under a flood of bookings', () => {
  // 500 sagas through the local stack take a minute or two on a shared machine.
  it('refuses 500 bookings without changing the movie item, and the movie’s other showtime still sells', {
    timeout: 300_000,
  }, async () => {
    const movie = await newMovie([
      { startsAt: '2036-12-24T20:00:00Z', seats: 1 },
      { startsAt: '2036-12-24T17:00:00Z', seats: 10 },
    ]);
    const [early, soldOut] = movie.showtimes as [(typeof movie.showtimes)[0], (typeof movie.showtimes)[0]];
    expect((await book(await signUp('first'), movie.id, soldOut.id)).status).toBe(201);
    const before = await movieItem(movie.id);

    // Each person stays within their rate limit, with room for a few requests sent again: the
    // flood is many people, as it would have to be.
    const perPerson = 25;
    expect(perPerson).toBeLessThan(BOOKING_WRITES.limit);
    const flooders = await Promise.all(
      Array.from({ length: 500 / perPerson }, (_, i) => signUp(`flood${i}`)),
    );
    let tries = 0;
    const answers = (
      await Promise.all(
        flooders.map(async (person) => {
          const mine: Array<{ status: number; message: string; at: number; ms: number }> = [];
          for (let i = 0; i < perPerson; i++) {
            // As a client would: a booking that timed out (a 504 keeps nothing) is sent again with its key.
            const key = randomUUID();
            const at = performance.now();
            const { status, body } = await retryTimedOut(() => {
              tries += 1;
              return book(person, movie.id, soldOut.id, 1, key);
            });
            mine.push({ status, message: String(body.message), at, ms: performance.now() - at });
          }
          return mine;
        }),
      )
    )
      .flat()
      .sort((a, b) => a.at - b.at);
    const statuses = answers.map((a) => a.status);
    expect(statuses).toHaveLength(500);
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? Number.NaN;
    console.log(
      `[flood] refusal p50: first 100 ${median(answers.slice(0, 100).map((a) => a.ms)).toFixed(0)} ms, last 100 ${median(answers.slice(-100).map((a) => a.ms)).toFixed(0)} ms; ${tries - 500} sent again after a timeout`,
    );
    expect(statuses.filter((s) => s !== 409)).toEqual([]);
    expect(
      answers
        .filter((a) => a.message !== `not enough seats left for showtime ${soldOut.id}`)
        .map((a) => a.message),
    ).toEqual([]);

    expect(await movieItem(movie.id)).toEqual(before);
    const other = await book(await signUp('other'), movie.id, early.id, 2);
    expect(other.status).toBe(201);
    expect((await call('GET', `movies/${movie.id}`)).body.showtimes).toEqual([
      expect.objectContaining({ id: early.id, available: 8 }),
      expect.objectContaining({ id: soldOut.id, available: 0 }),
    ]);
  });
});

describe('showtimes and seats a person may book', () => {
  it('refuses a showtime that has started with 409 naming it, taking no seat', async () => {
    const movie = await newMovie([{ startsAt: '2020-01-01T20:00:00Z', seats: 10 }]);
    const past = movie.showtimes[0] as (typeof movie.showtimes)[0];
    const response = await book(await signUp('late'), movie.id, past.id);
    expect(response.status).toBe(409);
    expect(response.body.message).toContain(`showtime ${past.id}`);
    expect(response.body.message).toContain('has started');
    expect((await call('GET', `movies/${movie.id}`)).body.showtimes[0].available).toBe(10);
  });

  it(`refuses a person's second ${SEATS_PER_PERSON}-seat booking on one showtime, and no one else's`, async () => {
    const movie = await newMovie([
      { startsAt: '2036-12-24T20:00:00Z', seats: 100 },
      { startsAt: '2036-12-25T20:00:00Z', seats: 100 },
    ]);
    const [first, second] = movie.showtimes as [(typeof movie.showtimes)[0], (typeof movie.showtimes)[0]];
    const [ann, bob] = await Promise.all([signUp('ann'), signUp('bob')]);
    expect((await book(ann, movie.id, first.id, SEATS_PER_PERSON)).status).toBe(201);
    const again = await book(ann, movie.id, first.id, SEATS_PER_PERSON);
    expect(again.status).toBe(409);
    expect(again.body.message).toContain(
      `at most ${SEATS_PER_PERSON} seats per person on showtime ${first.id}`,
    );
    expect((await book(ann, movie.id, first.id, 1)).status).toBe(409);
    expect((await book(bob, movie.id, first.id, SEATS_PER_PERSON)).status).toBe(201);
    expect((await book(ann, movie.id, second.id, SEATS_PER_PERSON)).status).toBe(201);
    const showtimes = (await call('GET', `movies/${movie.id}`)).body.showtimes as Array<{
      available: number;
    }>;
    expect(showtimes.map((s) => s.available)).toEqual([60, 80]);
    const mine = await call('GET', 'bookings', { as: ann });
    expect(mine.body.items).toHaveLength(2);
  });
});

describe('booking writes per person', () => {
  it('answers 429 with Retry-After past the limit, to that person only', async () => {
    const [eve, fay] = await Promise.all([signUp('eve'), signUp('fay')]);
    // Twice the limit and one: whatever window boundary falls among them, one window gets more than the limit.
    const total = 2 * BOOKING_WRITES.limit + 1;
    const responses = await inTurns(
      Array.from({ length: total }, () => () => call('DELETE', `bookings/${ulid()}`, { as: eve })),
    );
    const accepted = responses.filter((r) => r.status === 404);
    const limited = responses.filter((r) => r.status === 429);
    expect(accepted.length + limited.length, JSON.stringify(responses.map((r) => r.body))).toBe(total);
    expect(accepted.length).toBeGreaterThanOrEqual(BOOKING_WRITES.limit);
    expect(accepted.length).toBeLessThanOrEqual(2 * BOOKING_WRITES.limit);
    expect(limited.length).toBeGreaterThan(0);
    for (const response of limited) {
      expect(response.body).toMatchObject({ error: 'TooManyRequests' });
      const retryAfter = Number(response.headers.get('retry-after'));
      expect(Number.isInteger(retryAfter)).toBe(true);
      expect(retryAfter).toBeGreaterThanOrEqual(1);
      expect(retryAfter).toBeLessThanOrEqual(BOOKING_WRITES.windowSeconds);
    }
    expect((await call('DELETE', `bookings/${ulid()}`, { as: fay })).status).toBe(404);
  });
});
