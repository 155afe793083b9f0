import { DeleteCommand, GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { documents, projection, scanPage, unlessConditionFails } from '../shared/dynamo.js';
import { ConflictError } from '../shared/errors.js';
import { logger } from '../shared/logger.js';
import type { Hold, Movie, MovieStore, Showtime } from './domain/movies.js';

/** What a movie is made of: reads of movies leave the booking records (`holds`) behind. */
const MOVIE = projection(['id', 'title', 'director', 'rating', 'showtimes']);

/** Showtimes are stored as a map by id, so one conditional UpdateItem can take seats from one of them. */
function toMovie(raw: Record<string, unknown>): Movie {
  const showtimes = Object.values((raw.showtimes ?? {}) as Record<string, Showtime>)
    .map((s) => ({ id: s.id, startsAt: s.startsAt, seats: Number(s.seats), available: Number(s.available) }))
    .sort((a, b) => a.startsAt.localeCompare(b.startsAt) || a.id.localeCompare(b.id));
  return {
    id: String(raw.id),
    title: String(raw.title),
    ...(raw.director !== undefined ? { director: String(raw.director) } : {}),
    rating: Number(raw.rating),
    showtimes,
  };
}

/**
 * What the movie item records per booking id (map `holds`): the seats held,
 * or that they were released, or that the reservation was refused. It is
 * written in the same conditional UpdateItem as the seat count, which makes
 * reserve and release idempotent per booking without any other table, and
 * keeps a hot movie's writes single-item (no transaction conflicts).
 *
 * Settled records (released, refused) are only needed while a request about
 * their booking can still be acted on, and are removed {@link KEEP_SETTLED_MS}
 * after they settled (see `prune`): so refusals and cancellations, however
 * many, do not fill the item. Records of seats still held stay.
 *
 * Limit: each held record is ~90 bytes, so a movie with about 4,000 bookings
 * holding seats at once reaches DynamoDB's 400 KB item limit (and on AWS each
 * write costs 1 WCU per KB of the item). A separate holds table in a
 * transaction was tried: under concurrency on one movie it is far slower on
 * the local stack, and on AWS concurrent transactions on one item are
 * cancelled (TransactionConflict) and need retries.
 */
interface RecordedHold {
  showtimeId: string;
  seats: number;
  state: 'held' | 'released' | 'not-enough-seats';
  /** When the record settled (released or refused), in epoch ms; absent while seats are held. */
  settledAt?: number;
}

/**
 * How long a settled record is kept. A request about a booking is only acted
 * on before its deadline (the RPC server drops it after RPC_TIMEOUT_MS, 5 s),
 * and a release finding no record answers "nothing held" harmlessly, so
 * minutes are plenty; 15 leave room for clocks that disagree.
 */
export const KEEP_SETTLED_MS = 15 * 60_000;

/** Expired records removed per write; every release or refusal triggers one, so removal outpaces growth. */
const PRUNE_BATCH = 100;

export interface MovieStoreOptions {
  /** The clock settled records are stamped and expired by (epoch ms). */
  now?: () => number;
  keepSettledMs?: number;
}

type Holds = Record<string, RecordedHold> | undefined;

export function dynamoMovieStore(
  tableName: string,
  { now = Date.now, keepSettledMs = KEEP_SETTLED_MS }: MovieStoreOptions = {},
): MovieStore {
  const record = (hold: Hold, state: RecordedHold['state']): RecordedHold => ({
    showtimeId: hold.showtimeId,
    seats: hold.seats,
    state,
    ...(state === 'held' ? {} : { settledAt: now() }),
  });
  const holdOf = async (hold: Hold) => {
    const { Item } = await documents.send(
      new GetCommand({ TableName: tableName, Key: { id: hold.movieId }, ConsistentRead: true }),
    );
    const holds = Item?.holds as Holds;
    return {
      exists: Item !== undefined,
      showtime: (Item?.showtimes as Record<string, Showtime> | undefined)?.[hold.showtimeId],
      recorded: holds?.[hold.bookingId],
      holds,
    };
  };
  /** Records an outcome for a booking that has none yet; false if one appeared meanwhile (or the movie is gone). */
  const recordIfAbsent = async (hold: Hold, state: RecordedHold['state']) =>
    (await unlessConditionFails(() =>
      documents.send(
        new UpdateCommand({
          TableName: tableName,
          Key: { id: hold.movieId },
          UpdateExpression: 'SET holds.#booking = :hold',
          ConditionExpression: 'attribute_exists(id) AND attribute_not_exists(holds.#booking)',
          ExpressionAttributeNames: { '#booking': hold.bookingId },
          ExpressionAttributeValues: { ':hold': record(hold, state) },
        }),
      ),
    )) !== undefined;
  /**
   * Removes settled records older than the keep time from a movie's `holds`
   * as just read. Only those: a settled record never changes again (reserve
   * needs no record, release a held one), so removing it cannot undo a write
   * that raced the read. Housekeeping: a failure is logged, not answered.
   */
  const prune = async (movieId: string, holds: Holds) => {
    const cutoff = now() - keepSettledMs;
    const expired = Object.entries(holds ?? {})
      .filter(([, r]) => r.state !== 'held' && typeof r.settledAt === 'number' && r.settledAt <= cutoff)
      .slice(0, PRUNE_BATCH)
      .map(([bookingId]) => bookingId);
    if (expired.length === 0) return;
    try {
      await unlessConditionFails(() =>
        documents.send(
          new UpdateCommand({
            TableName: tableName,
            Key: { id: movieId },
            UpdateExpression: `REMOVE ${expired.map((_, i) => `holds.#b${i}`).join(', ')}`,
            // A deleted movie stays deleted (an update would create it).
            ConditionExpression: 'attribute_exists(id)',
            ExpressionAttributeNames: Object.fromEntries(
              expired.map((bookingId, i) => [`#b${i}`, bookingId]),
            ),
          }),
        ),
      );
    } catch (error) {
      logger.warn('expired booking records not removed; the next release or refusal tries again', {
        movieId,
        error,
      });
    }
  };
  return {
    async insert(movie) {
      await documents.send(
        new PutCommand({
          TableName: tableName,
          Item: { ...movie, showtimes: Object.fromEntries(movie.showtimes.map((s) => [s.id, s])), holds: {} },
          ConditionExpression: 'attribute_not_exists(id)',
        }),
      );
    },
    async get(id) {
      const { Item } = await documents.send(new GetCommand({ TableName: tableName, Key: { id }, ...MOVIE }));
      return Item ? toMovie(Item) : undefined;
    },
    list: (limit, cursor) => scanPage(tableName, limit, cursor, toMovie, MOVIE),
    async replace(id, { title, director, rating }) {
      const result = await unlessConditionFails(() =>
        documents.send(
          new UpdateCommand({
            TableName: tableName,
            Key: { id },
            UpdateExpression:
              director === undefined
                ? 'SET title = :title, rating = :rating REMOVE director'
                : 'SET title = :title, rating = :rating, director = :director',
            ConditionExpression: 'attribute_exists(id)',
            ExpressionAttributeValues: {
              ':title': title,
              ':rating': rating,
              ...(director === undefined ? {} : { ':director': director }),
            },
            ReturnValues: 'ALL_NEW',
          }),
        ),
      );
      return result?.Attributes ? toMovie(result.Attributes) : undefined;
    },
    async removeUnbooked(movie) {
      // Every showtime still has all its seats: one `available = seats` term per showtime,
      // compared with the seat count as a value to keep the expression short (100 showtimes fit 4 KB).
      const names: Record<string, string> = {};
      const values: Record<string, number> = {};
      const terms = ['attribute_exists(id)'];
      movie.showtimes.forEach((showtime, i) => {
        names['#available'] = 'available';
        names[`#s${i}`] = showtime.id;
        values[`:s${i}`] = showtime.seats;
        terms.push(`showtimes.#s${i}.#available = :s${i}`);
      });
      const deleted = await unlessConditionFails(() =>
        documents.send(
          new DeleteCommand({
            TableName: tableName,
            Key: { id: movie.id },
            ConditionExpression: terms.join(' AND '),
            ...(movie.showtimes.length > 0
              ? { ExpressionAttributeNames: names, ExpressionAttributeValues: values }
              : {}),
          }),
        ),
      );
      return deleted ? 'deleted' : 'changed';
    },
    async reserve(hold) {
      for (;;) {
        const taken = await unlessConditionFails(() =>
          documents.send(
            new UpdateCommand({
              TableName: tableName,
              Key: { id: hold.movieId },
              UpdateExpression:
                'SET showtimes.#showtime.available = showtimes.#showtime.available - :seats, holds.#booking = :hold',
              ConditionExpression:
                'attribute_exists(showtimes.#showtime) AND attribute_not_exists(holds.#booking) AND showtimes.#showtime.available >= :seats',
              ExpressionAttributeNames: { '#showtime': hold.showtimeId, '#booking': hold.bookingId },
              ExpressionAttributeValues: { ':seats': hold.seats, ':hold': record(hold, 'held') },
            }),
          ),
        );
        if (taken) return 'reserved';
        const { showtime, recorded, holds } = await holdOf(hold);
        await prune(hold.movieId, holds);
        if (!showtime) return 'no-such-showtime';
        if (recorded) return recorded.state === 'held' ? 'reserved' : recorded.state;
        // Too few seats: record the refusal, so a redelivery answers the same even if seats came back meanwhile.
        if (await recordIfAbsent(hold, 'not-enough-seats')) return 'not-enough-seats';
      }
    },
    async release(hold) {
      for (;;) {
        const given = await unlessConditionFails(() =>
          documents.send(
            new UpdateCommand({
              TableName: tableName,
              Key: { id: hold.movieId },
              UpdateExpression:
                'SET showtimes.#showtime.available = showtimes.#showtime.available + :seats, holds.#booking.#state = :released, holds.#booking.#settledAt = :now',
              ConditionExpression:
                'holds.#booking.#state = :held AND holds.#booking.seats = :seats AND holds.#booking.showtimeId = :showtimeId',
              ExpressionAttributeNames: {
                '#showtime': hold.showtimeId,
                '#booking': hold.bookingId,
                '#state': 'state',
                '#settledAt': 'settledAt',
              },
              ExpressionAttributeValues: {
                ':seats': hold.seats,
                ':showtimeId': hold.showtimeId,
                ':held': 'held',
                ':released': 'released',
                ':now': now(),
              },
              // The item as it now is, to prune by: a release is when records settle.
              ReturnValues: 'ALL_NEW',
            }),
          ),
        );
        if (given) {
          await prune(hold.movieId, given.Attributes?.holds as Holds);
          return hold.seats;
        }
        const { exists, recorded, holds } = await holdOf(hold);
        await prune(hold.movieId, holds);
        // A deleted movie has nothing to give back to.
        if (!exists) return 0;
        if (recorded?.state === 'held') {
          if (recorded.seats !== hold.seats || recorded.showtimeId !== hold.showtimeId) {
            throw new ConflictError(`booking ${hold.bookingId} holds other seats than the release names`);
          }
          continue;
        }
        if (recorded) return 0;
        // Nothing held yet: the release wins, and a reserve arriving later is refused.
        if (await recordIfAbsent(hold, 'released')) return 0;
      }
    },
  };
}
