import { DeleteCommand, GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { documents, scanPage, unlessConditionFails } from '../shared/dynamo.js';
import { ConflictError } from '../shared/errors.js';
import type { Hold, Movie, MovieStore, Showtime } from './domain/movies.js';

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
 * Limit: the map grows by ~90 bytes per booking attempt, so a movie holds
 * about 4,000 records before DynamoDB's 400 KB item limit refuses writes, and
 * on AWS each write costs 1 WCU per KB of the item. Settled records are only
 * needed while a request about them can still arrive (the request deadline,
 * seconds), so pruning those older than an hour would bound it; not done yet.
 * A separate holds table in a transaction was tried: under concurrency on one
 * movie it is far slower on the local stack, and on AWS concurrent
 * transactions on one item are cancelled (TransactionConflict) and need retries.
 */
interface RecordedHold {
  showtimeId: string;
  seats: number;
  state: 'held' | 'released' | 'not-enough-seats';
}

const held = (hold: Hold, state: RecordedHold['state']): RecordedHold => ({
  showtimeId: hold.showtimeId,
  seats: hold.seats,
  state,
});

export function dynamoMovieStore(tableName: string): MovieStore {
  const holdOf = async (hold: Hold) => {
    const { Item } = await documents.send(
      new GetCommand({ TableName: tableName, Key: { id: hold.movieId }, ConsistentRead: true }),
    );
    return {
      exists: Item !== undefined,
      showtime: (Item?.showtimes as Record<string, Showtime> | undefined)?.[hold.showtimeId],
      recorded: (Item?.holds as Record<string, RecordedHold> | undefined)?.[hold.bookingId],
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
          ExpressionAttributeValues: { ':hold': held(hold, state) },
        }),
      ),
    )) !== undefined;
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
      const { Item } = await documents.send(new GetCommand({ TableName: tableName, Key: { id } }));
      return Item ? toMovie(Item) : undefined;
    },
    list: (limit, cursor) => scanPage(tableName, limit, cursor, toMovie),
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
              ExpressionAttributeValues: { ':seats': hold.seats, ':hold': held(hold, 'held') },
            }),
          ),
        );
        if (taken) return 'reserved';
        const { showtime, recorded } = await holdOf(hold);
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
                'SET showtimes.#showtime.available = showtimes.#showtime.available + :seats, holds.#booking.#state = :released',
              ConditionExpression:
                'holds.#booking.#state = :held AND holds.#booking.seats = :seats AND holds.#booking.showtimeId = :showtimeId',
              ExpressionAttributeNames: {
                '#showtime': hold.showtimeId,
                '#booking': hold.bookingId,
                '#state': 'state',
              },
              ExpressionAttributeValues: {
                ':seats': hold.seats,
                ':showtimeId': hold.showtimeId,
                ':held': 'held',
                ':released': 'released',
              },
            }),
          ),
        );
        if (given) return hold.seats;
        const { exists, recorded } = await holdOf(hold);
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
