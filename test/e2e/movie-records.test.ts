/**
 * Where the movies service keeps each booking's hold, on the real DynamoDB of
 * the deployed stack: in items of the holds table written in the same
 * transaction as the seat count, so a movie's item stays the same size
 * however many bookings are refused or cancelled, and settled records (and a
 * person's count back at zero) carry an expiry for DynamoDB's TTL.
 */
import { randomUUID } from 'node:crypto';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, describe, expect, it, vi } from 'vitest';
import type { Hold, HoldRules, Movie } from '../../functions/movies/domain/movies.js';
import { bookingKey, personKey } from '../../functions/movies/holds-table.js';
import { moviesService } from '../../functions/movies/service.js';
import { clientConfig, dynamo, resources } from './support.js';

// The stores' DynamoDB client reads where and who it is from the environment, as in the function.
vi.stubEnv('AWS_ENDPOINT_URL', clientConfig.endpoint);
vi.stubEnv('AWS_REGION', clientConfig.region);
vi.stubEnv('AWS_ACCESS_KEY_ID', clientConfig.credentials.accessKeyId);
vi.stubEnv('AWS_SECRET_ACCESS_KEY', clientConfig.credentials.secretAccessKey);
const { dynamoMovieStore } = await import('../../functions/movies/dynamo-store.js');
const { dynamoSeatStore, KEEP_SETTLED_MS } = await import('../../functions/movies/seat-store.js');

const tables = {
  movies: resources.table(moviesService, 'movies'),
  holds: resources.table(moviesService, 'holds'),
};
const movies = dynamoMovieStore(tables.movies);
const seats = dynamoSeatStore(tables);
const rules = (): HoldRules => ({ now: Date.now(), seatsPerPerson: 20 });

afterAll(() => {
  vi.unstubAllEnvs();
});

/** A new movie with one showtime of `count` seats, straight into the table. */
async function newMovie(count: number): Promise<Movie> {
  const movie: Movie = {
    id: `records-${randomUUID()}`,
    title: 'Records',
    rating: 5,
    showtimes: [{ id: 'evening', startsAt: '2036-12-24T20:00:00Z', seats: count, available: count }],
  };
  await movies.insert(movie);
  return movie;
}

const holdFor = (movie: Movie, userId = randomUUID()): Hold => ({
  bookingId: randomUUID(),
  userId,
  movieId: movie.id,
  showtimeId: 'evening',
  seats: 1,
});

const item = async (table: string, id: string) =>
  (await dynamo.send(new GetCommand({ TableName: table, Key: { id }, ConsistentRead: true }))).Item;

/** The expiry a record settled now gets, in epoch seconds, give or take the test's own duration. */
const settledExpiry = () => expect.closeTo((Date.now() + KEEP_SETTLED_MS) / 1000, -2);

describe('booking records of a movie', () => {
  it('keeps the movie item exactly as it was however many bookings are refused', async () => {
    const movie = await newMovie(1);
    expect(await seats.reserve(holdFor(movie), rules())).toBe('reserved');
    const before = await item(tables.movies, movie.id);
    const refusals = Array.from({ length: 60 }, () => holdFor(movie));
    for (let i = 0; i < refusals.length; i += 15) {
      const outcomes = await Promise.all(
        refusals.slice(i, i + 15).map((hold) => seats.reserve(hold, rules())),
      );
      expect(new Set(outcomes)).toEqual(new Set(['not-enough-seats']));
    }
    expect(await item(tables.movies, movie.id)).toEqual(before);
  });

  it('records a refusal in an item of its own that expires, and answers a redelivery the same', async () => {
    const movie = await newMovie(0);
    const refused = holdFor(movie);
    expect(await seats.reserve(refused, rules())).toBe('not-enough-seats');
    expect(await item(tables.holds, bookingKey(refused.bookingId))).toEqual({
      id: bookingKey(refused.bookingId),
      ...refused,
      state: 'not-enough-seats',
      expiresAt: settledExpiry(),
    });
    expect(await seats.reserve(refused, rules())).toBe('not-enough-seats');
  });

  it('keeps a held record and the person’s count without expiry, and lets both expire once released', async () => {
    const movie = await newMovie(5);
    const ann = randomUUID();
    const [first, second] = [holdFor(movie, ann), holdFor(movie, ann)] as [Hold, Hold];
    expect(await seats.reserve(first, rules())).toBe('reserved');
    expect(await seats.reserve(second, rules())).toBe('reserved');
    expect(await item(tables.holds, bookingKey(first.bookingId))).toEqual({
      id: bookingKey(first.bookingId),
      ...first,
      state: 'held',
    });
    const count = personKey(ann, movie.id, 'evening');
    expect(await item(tables.holds, count)).toEqual({ id: count, held: 2 });

    expect(await seats.release(first, rules())).toBe(1);
    expect(await item(tables.holds, bookingKey(first.bookingId))).toMatchObject({
      state: 'released',
      expiresAt: settledExpiry(),
    });
    expect(await item(tables.holds, count)).toEqual({ id: count, held: 1 });

    expect(await seats.release(second, rules())).toBe(1);
    expect(await item(tables.holds, count)).toEqual({ id: count, held: 0, expiresAt: settledExpiry() });
    // Booked again, the count is needed again: no expiry.
    expect(await seats.reserve(holdFor(movie, ann), rules())).toBe('reserved');
    expect(await item(tables.holds, count)).toEqual({ id: count, held: 1 });
  });

  it('records a release that comes before its reserve, which is then refused', async () => {
    const movie = await newMovie(5);
    const early = holdFor(movie);
    expect(await seats.release(early, rules())).toBe(0);
    expect(await item(tables.holds, bookingKey(early.bookingId))).toMatchObject({
      state: 'released',
      expiresAt: settledExpiry(),
    });
    expect(await seats.reserve(early, rules())).toBe('released');
    expect((await item(tables.movies, movie.id))?.showtimes.evening.available).toBe(5);
  });
});
