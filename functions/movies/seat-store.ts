import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { GetCommand, PutCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { documents, unlessConditionFails } from '../shared/dynamo.js';
import { ConflictError } from '../shared/errors.js';
import type { Hold, Reservation, SeatStore } from './domain/movies.js';
import { bookingKey, HOLDS_TABLE, personKey } from './holds-table.js';

/**
 * A booking's record in the holds table: the seats held, or that they were
 * released, or why the reservation was refused. Settled records expire.
 */
interface RecordedHold extends Hold {
  state: 'held' | 'released' | 'not-enough-seats' | 'over-the-cap';
}

/**
 * How long a settled record (released, refused) is kept. A request about a
 * booking is only acted on before its deadline (the RPC server drops it after
 * RPC_TIMEOUT_MS, 5 s), and a release finding no record answers "nothing
 * held" harmlessly, so minutes are plenty; 15 leave room for clocks that
 * disagree. DynamoDB's TTL removes them later still (within days on AWS),
 * which only keeps them longer.
 */
export const KEEP_SETTLED_MS = 15 * 60_000;

/**
 * Tries of one write that lost a race (another write changed what it read,
 * or, on AWS, a concurrent transaction on the same movie conflicted) before
 * giving up with an error, which the booking saga treats as a failure.
 */
const ATTEMPTS = 8;

const { timeToLiveAttribute: EXPIRES_AT } = HOLDS_TABLE;

const expiresAt = (now: number) => Math.ceil((now + KEEP_SETTLED_MS) / 1000);

/** Waits a little longer after each lost race, jittered so racing writers spread out. */
const backOff = (attempt: number) =>
  new Promise((resolve) => setTimeout(resolve, Math.random() * Math.min(200, 10 * 2 ** attempt)));

/** Cancellation reasons that mean "not now", as opposed to a malformed write. */
const RACE_OR_CONDITION = new Set(['None', 'ConditionalCheckFailed', 'TransactionConflict']);

/** Runs a transaction; false when it was cancelled by a condition or a conflicting transaction. */
async function transact(input: TransactWriteCommand['input']): Promise<boolean> {
  try {
    await documents.send(new TransactWriteCommand(input));
    return true;
  } catch (error) {
    if (
      error instanceof TransactionCanceledException &&
      (error.CancellationReasons ?? []).every((r) => RACE_OR_CONDITION.has(r.Code ?? 'None'))
    )
      return false;
    throw error;
  }
}

/**
 * Seat holds on DynamoDB. The movie item keeps only each showtime's seat
 * count; each booking's record and each person's seats of a showtime are
 * items of the holds table, written in the same TransactWriteItems as the
 * count. So no item grows with requests: a refusal or a release is an item
 * of its own that expires, and a movie item's size does not change however
 * many bookings are made, refused or cancelled.
 *
 * The happy path is one transaction. When it is cancelled, the items are
 * read (consistently) to tell why: a recorded outcome is answered again, a
 * refusal for seats or the cap is recorded (so a redelivery is refused the
 * same even once seats come back), and a lost race is tried again.
 */
export function dynamoSeatStore(tables: { movies: string; holds: string }): SeatStore {
  /** The booking's record, the showtime (as stored, or undefined) and the person's seats of it. */
  const look = async (hold: Hold) => {
    const [record, movie, person] = await Promise.all([
      documents.send(
        new GetCommand({
          TableName: tables.holds,
          Key: { id: bookingKey(hold.bookingId) },
          ConsistentRead: true,
        }),
      ),
      documents.send(
        new GetCommand({
          TableName: tables.movies,
          Key: { id: hold.movieId },
          ConsistentRead: true,
          ProjectionExpression: 'id, showtimes.#showtime',
          ExpressionAttributeNames: { '#showtime': hold.showtimeId },
        }),
      ),
      documents.send(
        new GetCommand({
          TableName: tables.holds,
          Key: { id: personKey(hold.userId, hold.movieId, hold.showtimeId) },
          ConsistentRead: true,
        }),
      ),
    ]);
    const showtime = (movie.Item?.showtimes as Record<string, Record<string, unknown>> | undefined)?.[
      hold.showtimeId
    ];
    return {
      recorded: record.Item as RecordedHold | undefined,
      movieExists: movie.Item !== undefined,
      showtime: showtime && {
        available: Number(showtime.available),
        startsAtMs: Number(showtime.startsAtMs ?? Date.parse(String(showtime.startsAt))),
      },
      personHeld: person.Item === undefined ? undefined : Number(person.Item.held),
    };
  };

  /** Records a settled outcome for a booking that has none yet; false if one appeared meanwhile. */
  const recordIfAbsent = async (hold: Hold, state: RecordedHold['state'], now: number) =>
    (await unlessConditionFails(() =>
      documents.send(
        new PutCommand({
          TableName: tables.holds,
          Item: { id: bookingKey(hold.bookingId), ...fields(hold), state, [EXPIRES_AT]: expiresAt(now) },
          ConditionExpression: 'attribute_not_exists(id)',
        }),
      ),
    )) !== undefined;

  return {
    async reserve(hold, { now, seatsPerPerson }): Promise<Reservation> {
      for (let attempt = 1; ; attempt++) {
        const taken =
          hold.seats <= seatsPerPerson &&
          (await transact({
            TransactItems: [
              {
                Update: {
                  TableName: tables.movies,
                  Key: { id: hold.movieId },
                  UpdateExpression:
                    'SET showtimes.#showtime.available = showtimes.#showtime.available - :seats',
                  ConditionExpression:
                    'showtimes.#showtime.available >= :seats AND showtimes.#showtime.startsAtMs > :now',
                  ExpressionAttributeNames: { '#showtime': hold.showtimeId },
                  ExpressionAttributeValues: { ':seats': hold.seats, ':now': now },
                },
              },
              {
                Put: {
                  TableName: tables.holds,
                  Item: { id: bookingKey(hold.bookingId), ...fields(hold), state: 'held' },
                  ConditionExpression: 'attribute_not_exists(id)',
                },
              },
              {
                Update: {
                  TableName: tables.holds,
                  Key: { id: personKey(hold.userId, hold.movieId, hold.showtimeId) },
                  // Held seats keep the count: it expires only once back to zero.
                  UpdateExpression: `SET held = if_not_exists(held, :zero) + :seats REMOVE ${EXPIRES_AT}`,
                  ConditionExpression: 'attribute_not_exists(held) OR held <= :room',
                  ExpressionAttributeValues: {
                    ':zero': 0,
                    ':seats': hold.seats,
                    ':room': seatsPerPerson - hold.seats,
                  },
                },
              },
            ],
          }));
        if (taken) return 'reserved';
        const { recorded, showtime, personHeld = 0 } = await look(hold);
        if (recorded) return recorded.state === 'held' ? 'reserved' : recorded.state;
        if (!showtime) return 'no-such-showtime';
        // A start cannot be undone: nothing to record.
        if (showtime.startsAtMs <= now) return 'started';
        const refusal =
          showtime.available < hold.seats
            ? 'not-enough-seats'
            : personHeld + hold.seats > seatsPerPerson
              ? 'over-the-cap'
              : undefined;
        if (refusal) {
          // Recorded, so a redelivery answers the same even if seats came back meanwhile.
          if (await recordIfAbsent(hold, refusal, now)) return refusal;
        } else if (attempt >= ATTEMPTS) {
          throw new Error(
            `seats of showtime ${hold.showtimeId} kept changing; booking ${hold.bookingId} not reserved`,
          );
        } else {
          await backOff(attempt);
        }
      }
    },

    async release(hold, { now }) {
      for (let attempt = 1; ; attempt++) {
        const { recorded, movieExists, personHeld } = await look(hold);
        // A deleted movie has nothing to give back to.
        if (!movieExists) return 0;
        if (!recorded) {
          // Nothing held yet: the release wins, and a reserve arriving later is refused.
          if (await recordIfAbsent(hold, 'released', now)) return 0;
          continue;
        }
        if (recorded.state !== 'held') return 0;
        if (
          recorded.seats !== hold.seats ||
          recorded.showtimeId !== hold.showtimeId ||
          recorded.movieId !== hold.movieId ||
          recorded.userId !== hold.userId
        ) {
          throw new ConflictError(`booking ${hold.bookingId} holds other seats than the release names`);
        }
        const left = Math.max(0, (personHeld ?? hold.seats) - hold.seats);
        const given = await transact({
          TransactItems: [
            {
              Update: {
                TableName: tables.movies,
                Key: { id: hold.movieId },
                UpdateExpression:
                  'SET showtimes.#showtime.available = showtimes.#showtime.available + :seats',
                ConditionExpression: 'attribute_exists(showtimes.#showtime)',
                ExpressionAttributeNames: { '#showtime': hold.showtimeId },
                ExpressionAttributeValues: { ':seats': hold.seats },
              },
            },
            {
              Update: {
                TableName: tables.holds,
                Key: { id: bookingKey(hold.bookingId) },
                UpdateExpression: `SET #state = :released, ${EXPIRES_AT} = :expiresAt`,
                ConditionExpression: '#state = :held',
                ExpressionAttributeNames: { '#state': 'state' },
                ExpressionAttributeValues: {
                  ':held': 'held',
                  ':released': 'released',
                  ':expiresAt': expiresAt(now),
                },
              },
            },
            {
              Update: {
                TableName: tables.holds,
                Key: { id: personKey(hold.userId, hold.movieId, hold.showtimeId) },
                // Back to zero, the count is no longer needed and expires.
                UpdateExpression:
                  left > 0 ? 'SET held = :left' : `SET held = :left, ${EXPIRES_AT} = :expiresAt`,
                // Unchanged since read: the new count is exact.
                ConditionExpression: personHeld === undefined ? 'attribute_not_exists(held)' : 'held = :seen',
                ExpressionAttributeValues: {
                  ':left': left,
                  ...(left > 0 ? {} : { ':expiresAt': expiresAt(now) }),
                  ...(personHeld === undefined ? {} : { ':seen': personHeld }),
                },
              },
            },
          ],
        });
        if (given) return hold.seats;
        if (attempt >= ATTEMPTS)
          throw new Error(
            `seats of showtime ${hold.showtimeId} kept changing; booking ${hold.bookingId} not released`,
          );
        await backOff(attempt);
      }
    },
  };
}

/** What a record says about its hold, besides its key and state. */
const fields = ({ bookingId, userId, movieId, showtimeId, seats }: Hold) => ({
  bookingId,
  userId,
  movieId,
  showtimeId,
  seats,
});
