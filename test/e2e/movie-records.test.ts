/**
 * The movies store's per-booking records on the real DynamoDB of the deployed
 * stack, under a clock the test moves: refusals and releases are removed once
 * kept long enough, so a movie's item does not fill up however many bookings
 * are refused or cancelled, while seats still held keep their record.
 */
import { randomUUID } from 'node:crypto';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, describe, expect, it, vi } from 'vitest';
import type { Hold, Movie, MovieStore } from '../../functions/movies/domain/movies.js';
import { moviesService } from '../../functions/movies/service.js';
import { clientConfig, dynamo, resources } from './support.js';

// The store's DynamoDB client reads where and who it is from the environment, as in the function.
vi.stubEnv('AWS_ENDPOINT_URL', clientConfig.endpoint);
vi.stubEnv('AWS_REGION', clientConfig.region);
vi.stubEnv('AWS_ACCESS_KEY_ID', clientConfig.credentials.accessKeyId);
vi.stubEnv('AWS_SECRET_ACCESS_KEY', clientConfig.credentials.secretAccessKey);
const { dynamoMovieStore, KEEP_SETTLED_MS } = await import('../../functions/movies/dynamo-store.js');

let clock = Date.now();
const store: MovieStore = dynamoMovieStore(resources.table(moviesService, 'movies'), { now: () => clock });

afterAll(() => {
  vi.unstubAllEnvs();
});

/** A new movie with one showtime of `seats` seats, straight into the table. */
async function newMovie(seats: number): Promise<Movie> {
  const movie: Movie = {
    id: `records-${randomUUID()}`,
    title: 'Records',
    rating: 5,
    showtimes: [{ id: 'evening', startsAt: '2026-12-24T20:00:00Z', seats, available: seats }],
  };
  await store.insert(movie);
  return movie;
}

const holdFor = (movie: Movie, bookingId = randomUUID()): Hold => ({
  bookingId,
  movieId: movie.id,
  showtimeId: 'evening',
  seats: 1,
});

/** The movie's item as stored: its booking records by booking id, and the seats left. */
async function stored(movie: Movie) {
  const { Item } = await dynamo.send(
    new GetCommand({
      TableName: resources.table(moviesService, 'movies'),
      Key: { id: movie.id },
      ConsistentRead: true,
    }),
  );
  return {
    records: Object.keys(Item?.holds ?? {}).sort(),
    available: Number(Item?.showtimes?.evening?.available),
  };
}

/** A movie whose one seat is held by a booking: that booking's hold. */
async function movieWithSeatHeld() {
  const movie = await newMovie(1);
  const holder = holdFor(movie);
  expect(await store.reserve(holder)).toBe('reserved');
  return { movie, holder };
}

describe('booking records of a movie', () => {
  it('keeps a refusal while a redelivery may still ask, and answers it the same', async () => {
    const { movie } = await movieWithSeatHeld();
    const refused = holdFor(movie);
    expect(await store.reserve(refused)).toBe('not-enough-seats');
    clock += KEEP_SETTLED_MS - 1_000;
    expect(await store.reserve(refused)).toBe('not-enough-seats');
    expect((await stored(movie)).records).toContain(refused.bookingId);
  });

  it('removes refusals kept long enough, in batches, and never the record of seats still held', async () => {
    const { movie, holder } = await movieWithSeatHeld();
    const refusals = Array.from({ length: 105 }, () => holdFor(movie));
    for (let i = 0; i < refusals.length; i += 15) {
      const outcomes = await Promise.all(refusals.slice(i, i + 15).map((hold) => store.reserve(hold)));
      expect(new Set(outcomes)).toEqual(new Set(['not-enough-seats']));
    }
    expect((await stored(movie)).records).toHaveLength(1 + refusals.length);

    clock += KEEP_SETTLED_MS + 1_000;
    const later = holdFor(movie);
    expect(await store.reserve(later)).toBe('not-enough-seats');
    // At most 100 go per write: the next refusal takes the rest.
    expect((await stored(movie)).records).toHaveLength(1 + (refusals.length - 100) + 1);
    const last = holdFor(movie);
    expect(await store.reserve(last)).toBe('not-enough-seats');

    const after = await stored(movie);
    expect(after.records).toEqual([holder.bookingId, later.bookingId, last.bookingId].sort());
    expect(after.available).toBe(0);
    // The holder's seat is still theirs to give back.
    expect(await store.release(holder)).toBe(1);
    expect((await stored(movie)).available).toBe(1);
  });

  it('removes a release once kept long enough; a release repeated after that gives nothing back twice', async () => {
    const { movie, holder } = await movieWithSeatHeld();
    expect(await store.release(holder)).toBe(1);

    clock += KEEP_SETTLED_MS + 1_000;
    // A release of a booking that never held seats is recorded, and removes what expired.
    const unheld = holdFor(movie);
    expect(await store.release(unheld)).toBe(0);
    expect((await stored(movie)).records).toEqual([unheld.bookingId]);

    expect(await store.release(holder)).toBe(0);
    expect((await stored(movie)).available).toBe(1);
    // A reserve for the booking whose release came first is still refused.
    expect(await store.reserve(unheld)).toBe('released');
    expect((await stored(movie)).available).toBe(1);
  });

  it('a release that gives seats back removes the records that expired meanwhile', async () => {
    const movie = await newMovie(2);
    const [kept, other, refused] = [holdFor(movie), holdFor(movie), holdFor(movie)];
    expect(await store.reserve(kept)).toBe('reserved');
    expect(await store.reserve(other)).toBe('reserved');
    expect(await store.reserve(refused)).toBe('not-enough-seats');

    clock += KEEP_SETTLED_MS + 1_000;
    expect(await store.release(kept)).toBe(1);
    const after = await stored(movie);
    expect(after.records).toEqual([kept.bookingId, other.bookingId].sort());
    expect(after.available).toBe(1);
  });
});
