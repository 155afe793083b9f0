import { afterEach, describe, expect, it, vi } from 'vitest';
import { bookingItem, dynamoBookingStore } from '../../../functions/bookings/dynamo-store.js';
import { dynamoMovieStore } from '../../../functions/movies/dynamo-store.js';
import { contains } from '../../../functions/search/domain/cells.js';
import { nameItems } from '../../../functions/search/domain/names.js';
import { dynamoThingStore } from '../../../functions/search/dynamo-store.js';
import { documents } from '../../../functions/shared/dynamo.js';
import { dynamoTaskStore } from '../../../functions/tasks/dynamo-store.js';
import { dynamoUserStore } from '../../../functions/users/dynamo-store.js';
import {
  itemsRead,
  scaleBooking,
  scaleMovie,
  scaleProfile,
  scaleTask,
  scaleThing,
  scaleThingRows,
  scaleUserId,
} from '../../bench/scale-items.js';

/** What each command the store sends carries; every send answers an empty success. */
function captureWrites() {
  const inputs: Array<Record<string, unknown>> = [];
  vi.spyOn(documents, 'send').mockImplementation((async (command: { input: Record<string, unknown> }) => {
    inputs.push(command.input);
    return {};
  }) as never);
  return inputs;
}

type Put = { Put?: { TableName: string; Item: Record<string, unknown> } };

afterEach(() => vi.restoreAllMocks());

describe('the scale section writes items exactly as the stores do', () => {
  it('a settled booking: the item the bookings store puts, in the by-status index and not the in-flight one', async () => {
    const writes = captureWrites();
    for (const i of [0, 1, 77, 99_999]) {
      const booking = scaleBooking(i, 100_000, 10_000);
      await dynamoBookingStore('bookings', 'closed').insert(booking);
      const last = writes.at(-1) as { TransactItems: Put[] };
      expect(last.TransactItems[0]?.Put?.Item).toEqual(bookingItem(booking));
      expect(['confirmed', 'cancelled', 'released']).toContain(booking.status);
      expect(bookingItem(booking)).toEqual({
        ...booking,
        statusShard: expect.stringMatching(new RegExp(`^${booking.status}#[0-7]$`)),
      });
    }
  });

  it('a profile: the item the users store puts', async () => {
    const writes = captureWrites();
    const profile = scaleProfile(42);
    await dynamoUserStore('users').insertIfAbsent(profile);
    expect((writes[0] as { Item: unknown }).Item).toEqual({ ...profile });
    expect(profile.id).toBe(scaleUserId(42));
  });

  it('a task: the item the tasks store puts (with createdKey)', async () => {
    const writes = captureWrites();
    const { createdKey: _, ...task } = scaleTask(5, scaleUserId(5));
    await dynamoTaskStore('tasks').insert(task);
    expect((writes[0] as { Item: unknown }).Item).toEqual(scaleTask(5, scaleUserId(5)));
  });

  it('a movie: the item the movies store puts (showtimes by id)', async () => {
    const writes = captureWrites();
    const { movie, item } = scaleMovie(3);
    await dynamoMovieStore('movies').insert(movie);
    expect((writes[0] as { Item: unknown }).Item).toEqual(item);
    expect(item).toMatchObject({ titleInitial: 's', titleSearch: 'scale movie 3' });
  });

  it('a thing: the rows the search store writes, in all three tables', async () => {
    const writes = captureWrites();
    const { thing } = scaleThing(9);
    await dynamoThingStore({ things: 'things', cells: 'cells', names: 'names' }).add(thing);
    const puts = writes
      .flatMap((input) => (input.TransactItems as Put[] | undefined) ?? [])
      .flatMap((action) => (action.Put ? [action.Put] : []));
    const overflow = writes.flatMap((input) =>
      (
        (input.RequestItems as Record<string, Array<{ PutRequest: { Item: unknown } }>> | undefined)?.names ??
        []
      ).map((r) => r.PutRequest.Item),
    );
    const rows = scaleThingRows(9);
    expect(puts.filter((p) => p.TableName === 'things').map((p) => p.Item)).toEqual(rows.things);
    expect(puts.filter((p) => p.TableName === 'cells').map((p) => p.Item)).toEqual(rows.cells);
    expect([...puts.filter((p) => p.TableName === 'names').map((p) => p.Item), ...overflow]).toEqual(
      rows.names,
    );
    expect(rows.names).toHaveLength(nameItems(thing, 100).inline.length);
  });
});

describe('the generated data', () => {
  it('is the same on every run', () => {
    expect(scaleBooking(123, 1_000, 100)).toEqual(scaleBooking(123, 1_000, 100));
    expect(scaleThing(8)).toEqual(scaleThing(8));
  });

  it('spreads bookings over people and movies of the given counts', () => {
    const bookings = Array.from({ length: 2_000 }, (_, i) => scaleBooking(i, 100, 10));
    expect(new Set(bookings.map((b) => b.userId)).size).toBeGreaterThan(90);
    expect(new Set(bookings.map((b) => b.movieId)).size).toBe(10);
    expect(new Set(bookings.map((b) => b.id)).size).toBe(2_000);
  });

  it("a thing's center lies inside its polygon (the search by point finds it)", () => {
    for (const i of [0, 7, 500]) {
      const { thing, center } = scaleThing(i);
      expect(contains(thing.geometry, center[0], center[1])).toBe(true);
    }
  });
});

describe('itemsRead', () => {
  const line = (request: object) => JSON.stringify({ awsRequest: request });
  it('counts what a Query or Scan scanned, what a Get returned, and nothing else', () => {
    expect(
      itemsRead([
        line({ service: 'DynamoDB', operation: 'Query', items: 2, scanned: 7 }),
        line({ service: 'DynamoDB', operation: 'Scan', items: 20, scanned: 20 }),
        line({ service: 'DynamoDB', operation: 'GetItem', items: 1 }),
        line({ service: 'DynamoDB', operation: 'BatchGetItem', items: 3 }),
        line({ service: 'DynamoDB', operation: 'PutItem' }),
        line({ service: 'SQS', operation: 'SendMessage' }),
        'START RequestId: x',
      ]),
    ).toBe(31);
  });
});
