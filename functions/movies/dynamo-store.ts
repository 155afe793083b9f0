import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { GetCommand, PutCommand, TransactWriteCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { deleteExisting, documents, scanPage, unlessConditionFails } from '../shared/dynamo.js';
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
 * What the seat-holds table records per booking id: the seats held, or that
 * they were released, or that the reservation was refused. A hold is written
 * in the same transaction as the seat count it moves, which makes reserve and
 * release idempotent per booking; settled records expire after
 * {@link SETTLED_RECORD_DAYS}, long after any request about them could arrive.
 */
interface RecordedHold {
  bookingId: string;
  movieId: string;
  showtimeId: string;
  seats: number;
  state: 'held' | 'released' | 'not-enough-seats';
  /** Epoch seconds after which DynamoDB TTL may delete a settled record. */
  expiresAt?: number;
}

/** Settled records outlive the longest-lived request about them (a durable release: 1 day) by far. */
export const SETTLED_RECORD_DAYS = 7;

const record = (hold: Hold, state: RecordedHold['state']): RecordedHold => ({
  ...hold,
  state,
  ...(state === 'held' ? {} : { expiresAt: Math.floor(Date.now() / 1000) + SETTLED_RECORD_DAYS * 86_400 }),
});

/** True when a transaction was cancelled by one of its conditions (the state is not what it required). */
const cancelled = (error: unknown) => error instanceof TransactionCanceledException;

export function dynamoMovieStore(tableName: string, holdsTable: string): MovieStore {
  const recordedFor = async (bookingId: string) => {
    const { Item } = await documents.send(
      new GetCommand({ TableName: holdsTable, Key: { bookingId }, ConsistentRead: true }),
    );
    return Item as RecordedHold | undefined;
  };
  const showtimeOf = async (hold: Hold) => {
    const { Item } = await documents.send(
      new GetCommand({ TableName: tableName, Key: { id: hold.movieId }, ConsistentRead: true }),
    );
    return {
      exists: Item !== undefined,
      showtime: (Item?.showtimes as Record<string, Showtime> | undefined)?.[hold.showtimeId],
    };
  };
  /** Records an outcome for a booking that has none yet; false if one appeared meanwhile. */
  const recordIfAbsent = async (hold: Hold, state: RecordedHold['state']) =>
    (await unlessConditionFails(() =>
      documents.send(
        new PutCommand({
          TableName: holdsTable,
          Item: record(hold, state),
          ConditionExpression: 'attribute_not_exists(bookingId)',
        }),
      ),
    )) !== undefined;
  /** Runs a transaction; false instead of an error when one of its conditions failed. */
  const transact = async (command: TransactWriteCommand) => {
    try {
      await documents.send(command);
      return true;
    } catch (error) {
      if (cancelled(error)) return false;
      throw error;
    }
  };

  return {
    async insert(movie) {
      await documents.send(
        new PutCommand({
          TableName: tableName,
          Item: { ...movie, showtimes: Object.fromEntries(movie.showtimes.map((s) => [s.id, s])) },
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
    remove: async (id) => (await deleteExisting(tableName, { id })) !== undefined,
    async reserve(hold) {
      for (;;) {
        const taken = await transact(
          new TransactWriteCommand({
            TransactItems: [
              {
                Update: {
                  TableName: tableName,
                  Key: { id: hold.movieId },
                  UpdateExpression:
                    'SET showtimes.#showtime.available = showtimes.#showtime.available - :seats',
                  ConditionExpression:
                    'attribute_exists(showtimes.#showtime) AND showtimes.#showtime.available >= :seats',
                  ExpressionAttributeNames: { '#showtime': hold.showtimeId },
                  ExpressionAttributeValues: { ':seats': hold.seats },
                },
              },
              {
                Put: {
                  TableName: holdsTable,
                  Item: record(hold, 'held'),
                  ConditionExpression: 'attribute_not_exists(bookingId)',
                },
              },
            ],
          }),
        );
        if (taken) return 'reserved';
        const recorded = await recordedFor(hold.bookingId);
        if (recorded) return recorded.state === 'held' ? 'reserved' : recorded.state;
        if (!(await showtimeOf(hold)).showtime) return 'no-such-showtime';
        // Too few seats: record the refusal, so a redelivery answers the same even if seats came back meanwhile.
        if (await recordIfAbsent(hold, 'not-enough-seats')) return 'not-enough-seats';
      }
    },
    async release(hold) {
      for (;;) {
        const recorded = await recordedFor(hold.bookingId);
        if (!recorded) {
          // Nothing held yet: the release wins, and a reserve arriving later is refused.
          if (await recordIfAbsent(hold, 'released')) return 0;
          continue;
        }
        if (recorded.state !== 'held') return 0;
        if (
          recorded.seats !== hold.seats ||
          recorded.showtimeId !== hold.showtimeId ||
          recorded.movieId !== hold.movieId
        ) {
          throw new ConflictError(`booking ${hold.bookingId} holds other seats than the release names`);
        }
        const settle = {
          Update: {
            TableName: holdsTable,
            Key: { bookingId: hold.bookingId },
            UpdateExpression: 'SET #state = :released, expiresAt = :expiresAt',
            ConditionExpression: '#state = :held',
            ExpressionAttributeNames: { '#state': 'state' },
            ExpressionAttributeValues: {
              ':held': 'held',
              ':released': 'released',
              ':expiresAt': record(hold, 'released').expiresAt,
            },
          },
        };
        const { showtime } = await showtimeOf(hold);
        // A deleted movie has nothing to give back to: only the hold is settled.
        const given = await transact(
          new TransactWriteCommand({
            TransactItems: showtime
              ? [
                  settle,
                  {
                    Update: {
                      TableName: tableName,
                      Key: { id: hold.movieId },
                      UpdateExpression:
                        'SET showtimes.#showtime.available = showtimes.#showtime.available + :seats',
                      ConditionExpression: 'attribute_exists(showtimes.#showtime)',
                      ExpressionAttributeNames: { '#showtime': hold.showtimeId },
                      ExpressionAttributeValues: { ':seats': hold.seats },
                    },
                  },
                ]
              : [settle],
          }),
        );
        if (given) return showtime ? hold.seats : 0;
      }
    },
  };
}
