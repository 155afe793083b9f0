import { randomUUID } from 'node:crypto';
import {
  GetFunctionConfigurationCommand,
  InvokeCommand,
  UpdateFunctionConfigurationCommand,
} from '@aws-sdk/client-lambda';
import {
  CreateQueueCommand,
  DeleteQueueCommand,
  GetQueueAttributesCommand,
  SendMessageCommand,
} from '@aws-sdk/client-sqs';
import { BatchWriteCommand, GetCommand, ScanCommand, type ScanCommandOutput } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bookingsService } from '../../functions/bookings/service.js';
import { logFeedService } from '../../functions/log-feed/service.js';
import { moviesContract } from '../../functions/movies/contract.js';
import { SEATS_PER_PERSON } from '../../functions/movies/domain/movies.js';
import { bookingKey } from '../../functions/movies/holds-table.js';
import { moviesService } from '../../functions/movies/service.js';
import { ENV } from '../../functions/shared/env-names.js';
import { parseReply } from '../../functions/shared/rpc/envelope.js';
import { queueConsumer } from '../support/queues.js';
import { seatLedger, settled } from '../support/seat-ledger.js';
import { book, bookOnce, call, type Person, signUp, signUpAdmin } from './people.js';
import {
  drainQueue,
  dynamo,
  lambda,
  logLines,
  parkPoison,
  resources,
  runScript,
  sqs,
  waitFor,
} from './support.js';

const tables = {
  movies: resources.table(moviesService, 'movies'),
  holds: resources.table(moviesService, 'holds'),
  bookings: resources.table(bookingsService, 'bookings'),
};
const ledger = (movieId: string, showtimeId: string) => seatLedger(dynamo, tables, movieId, showtimeId);

let admin: Person;

async function newShowtime(seats: number) {
  const response = await call('POST', 'movies', {
    as: admin,
    body: {
      title: `Faults ${randomUUID().slice(0, 6)}`,
      rating: 7,
      showtimes: [{ startsAt: '2036-12-24T20:00:00Z', seats }],
    },
  });
  expect(response.status).toBe(201);
  return { movieId: response.body.id as string, showtimeId: response.body.showtimes[0].id as string };
}

/** Waits until the showtime's seats add up with nothing in flight; returns the ledger and how long it took. */
async function settles(movieId: string, showtimeId: string, timeoutMs = 60_000) {
  const started = Date.now();
  const final = await waitFor(
    'the showtime to settle with available + held = capacity',
    async () => {
      const now = await ledger(movieId, showtimeId);
      return settled(now) ? now : undefined;
    },
    { timeoutMs, intervalMs: 250 },
  );
  return { ledger: final, ms: Date.now() - started };
}

/** Makes the movies service unreachable (its request queue is no longer consumed) while `during` runs. */
const withMoviesDown = async <T>(during: () => Promise<T>) =>
  (
    await queueConsumer(lambda, resources.functionName(moviesService, 'movies-rpc'), 'moviesrpc')
  ).pausedDuring(during);

/** Sets (or with undefined, removes) the fault hook of the deployed bookings function. */
/** Every booking of a movie, as stored (a consistent scan, page by page). */
async function bookingsOfMovie(movieId: string): Promise<NonNullable<ScanCommandOutput['Items']>> {
  const items: NonNullable<ScanCommandOutput['Items']> = [];
  let start: ScanCommandOutput['LastEvaluatedKey'];
  do {
    const page = await dynamo.send(
      new ScanCommand({
        TableName: tables.bookings,
        FilterExpression: 'movieId = :movieId',
        ExpressionAttributeValues: { ':movieId': movieId },
        ExclusiveStartKey: start,
        ConsistentRead: true,
      }),
    );
    items.push(...(page.Items ?? []));
    start = page.LastEvaluatedKey;
  } while (start);
  return items;
}

async function setFault(fault: string | undefined) {
  const FunctionName = resources.functionName(bookingsService, 'bookings');
  const config = await lambda.send(new GetFunctionConfigurationCommand({ FunctionName }));
  const { [ENV.faultInjection]: _old, ...variables } = config.Environment?.Variables ?? {};
  await lambda.send(
    new UpdateFunctionConfigurationCommand({
      FunctionName,
      Environment: { Variables: fault ? { ...variables, [ENV.faultInjection]: fault } : variables },
    }),
  );
  await waitFor('the function update to finish', async () => {
    const now = await lambda.send(new GetFunctionConfigurationCommand({ FunctionName }));
    return now.LastUpdateStatus !== 'InProgress' && now.State === 'Active' ? true : undefined;
  });
}

let replyQueue: string;
beforeAll(async () => {
  admin = await signUpAdmin();
  const created = await sqs.send(new CreateQueueCommand({ QueueName: `e2e-fault-replies-${randomUUID()}` }));
  replyQueue = created.QueueUrl ?? '';
});
afterAll(async () => {
  await sqs.send(new DeleteQueueCommand({ QueueUrl: replyQueue }));
});

const envelope = (method: string, payload: unknown, deadline = Date.now() + 60_000) =>
  JSON.stringify({
    v: 1,
    correlationId: randomUUID(),
    replyTo: replyQueue,
    service: 'movies',
    method,
    payload,
    deadline,
    requestId: 'e2e-faults',
  });

/**
 * Collects the replies to the given envelopes (by correlation id) from the
 * file's reply queue until `count` have arrived; replies to anything else,
 * such as a late duplicate from an earlier test, are left out.
 */
async function replies(count: number, ...sent: string[]) {
  const ids = new Set(sent.map((body) => (JSON.parse(body) as { correlationId: string }).correlationId));
  const got: ReturnType<typeof parseReply>[] = [];
  await waitFor(`${count} replies`, async () => {
    const arrived = (await drainQueue(replyQueue)).map((m) => parseReply(m.Body ?? ''));
    got.push(...arrived.filter((reply) => ids.has(reply.correlationId)));
    return got.length >= count ? true : undefined;
  });
  return got;
}

describe('exactly-once effects on at-least-once delivery', () => {
  it('the same reserve envelope delivered 5 times reserves once; the same release 5 times releases once', async () => {
    const { movieId, showtimeId } = await newShowtime(10);
    const hold = { bookingId: `dup-${randomUUID()}`, userId: randomUUID(), movieId, showtimeId, seats: 3 };
    const reserve = envelope('reserveSeats', hold);
    await Promise.all(
      [1, 2, 3, 4, 5].map(() =>
        sqs.send(
          new SendMessageCommand({ QueueUrl: resources.rpcQueue(moviesContract), MessageBody: reserve }),
        ),
      ),
    );
    const reserved = await replies(5, reserve);
    expect(reserved.map((r) => r.ok && r.result)).toEqual(
      Array(5).fill({ bookingId: hold.bookingId, reserved: 3 }),
    );
    expect((await ledger(movieId, showtimeId)).available).toBe(7);

    const release = envelope('releaseSeats', hold);
    await Promise.all(
      [1, 2, 3, 4, 5].map(() =>
        sqs.send(
          new SendMessageCommand({ QueueUrl: resources.rpcQueue(moviesContract), MessageBody: release }),
        ),
      ),
    );
    const released = await replies(5, release);
    expect(released.map((r) => (r.ok ? (r.result as { released: number }).released : -1)).sort()).toEqual([
      0, 0, 0, 0, 3,
    ]);
    expect((await ledger(movieId, showtimeId)).available).toBe(10);

    // A reserve for the booking arriving after its release (a retry in a new envelope) can no longer take the seats.
    const retry = envelope('reserveSeats', hold);
    await sqs.send(
      new SendMessageCommand({ QueueUrl: resources.rpcQueue(moviesContract), MessageBody: retry }),
    );
    const [late] = await replies(1, retry);
    expect(late).toMatchObject({ ok: false, error: { code: 'Conflict' } });
    expect((await ledger(movieId, showtimeId)).available).toBe(10);
  });

  it('drops a request whose deadline passed before it was read: no seats taken, no reply', async () => {
    const { movieId, showtimeId } = await newShowtime(5);
    const bookingId = `late-${randomUUID()}`;
    await sqs.send(
      new SendMessageCommand({
        QueueUrl: resources.rpcQueue(moviesContract),
        MessageBody: envelope(
          'reserveSeats',
          { bookingId, userId: randomUUID(), movieId, showtimeId, seats: 2 },
          Date.now() - 1,
        ),
      }),
    );
    await waitFor('the movies request queue to be empty', async () => {
      const { Attributes = {} } = await sqs.send(
        new GetQueueAttributesCommand({
          QueueUrl: resources.rpcQueue(moviesContract),
          AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'],
        }),
      );
      return Attributes.ApproximateNumberOfMessages === '0' &&
        Attributes.ApproximateNumberOfMessagesNotVisible === '0'
        ? true
        : undefined;
    });
    expect(await drainQueue(replyQueue)).toEqual([]);
    const { Item } = await dynamo.send(
      new GetCommand({ TableName: tables.holds, Key: { id: bookingKey(bookingId) }, ConsistentRead: true }),
    );
    expect(Item).toBeUndefined();
    expect((await ledger(movieId, showtimeId)).available).toBe(5);
  });
});

describe('outages and timeouts', () => {
  it('movies unreachable during a booking: 504, nothing kept, seats back once it returns', async () => {
    const person = await signUp('outage');
    const { movieId, showtimeId } = await newShowtime(4);
    const { result: response, restoredAt } = await withMoviesDown(() => book(person, movieId, showtimeId, 2));
    expect(response.status).toBe(504);
    const { ledger: after } = await settles(movieId, showtimeId);
    console.log(
      `[settle] booking during an outage: seats back ${Date.now() - restoredAt} ms after movies returned`,
    );
    expect(after).toMatchObject({ available: 4, held: 0, statuses: { released: 1 } });
  });

  it('movies unreachable during a cancel: 202 and cancelling, then cancelled with the seats back once it returns', async () => {
    const person = await signUp('canceller');
    const { movieId, showtimeId } = await newShowtime(4);
    const created = await bookOnce(person, movieId, showtimeId, 3);
    expect(created.status).toBe(201);
    const { result: cancel, restoredAt } = await withMoviesDown(async () => {
      const response = await call('DELETE', `bookings/${created.body.id}`, { as: person });
      expect((await call('GET', `bookings/${created.body.id}`, { as: person })).body.status).toBe(
        'cancelling',
      );
      expect((await ledger(movieId, showtimeId)).available).toBe(1);
      return response;
    });
    expect(cancel.status).toBe(202);
    expect(cancel.body).toMatchObject({ id: created.body.id, status: 'cancelling' });
    const { ledger: after } = await settles(movieId, showtimeId);
    console.log(
      `[settle] cancel during an outage: seats back ${Date.now() - restoredAt} ms after movies returned`,
    );
    expect(after).toMatchObject({ available: 4, held: 0, statuses: { cancelled: 1 } });
    expect((await call('GET', `bookings/${created.body.id}`, { as: person })).body.status).toBe('cancelled');
  });

  it('a crash between reserving and confirming: the saga releases the seats and says so on the log feed', async () => {
    const person = await signUp('crash');
    const { movieId, showtimeId } = await newShowtime(6);
    await setFault('crash-after-reserve');
    let crashedAt: number;
    try {
      const response = await book(person, movieId, showtimeId, 2);
      crashedAt = Date.now();
      expect(response.status).toBe(500);
      expect(await ledger(movieId, showtimeId)).toMatchObject({
        available: 4,
        held: 2,
        statuses: { pending: 1 },
      });
    } finally {
      await setFault(undefined);
    }
    const { ledger: after } = await settles(movieId, showtimeId, 90_000);
    console.log(`[settle] crash after reserve: seats back ${Date.now() - crashedAt} ms after the crash`);
    expect(after).toMatchObject({ available: 6, held: 0, statuses: { released: 1 } });
    const lines = await waitFor('booking.repaired on the log feed', async () => {
      const found = await logLines(resources.logGroup(logFeedService, 'subscriber'), 'booking.repaired');
      return found.some((line) => line.includes(movieId)) ? found : undefined;
    });
    expect(lines.some((line) => line.includes(showtimeId))).toBe(true);
  });

  it('60 concurrent bookings and 20 concurrent cancels on one showtime end with the seats exactly accounted for', async () => {
    const people = await Promise.all([1, 2, 3, 4].map((i) => signUp(`crowd${i}`)));
    const { movieId, showtimeId } = await newShowtime(40);
    const owners = new Map<string, Person>();
    const bookOne = async (i: number) => {
      const person = people[i % people.length] as Person;
      const response = await book(person, movieId, showtimeId, 1 + (i % 2));
      if (response.status === 201) owners.set(response.body.id, person);
      return response;
    };
    const first = await Promise.all(Array.from({ length: 30 }, (_, i) => bookOne(i)));
    const made = first.filter((r) => r.status === 201).map((r) => r.body.id as string);
    expect(made.length).toBeGreaterThan(0);
    const cancelled = made.slice(0, 20);
    const [more, cancels] = await Promise.all([
      Promise.all(Array.from({ length: 30 }, (_, i) => bookOne(30 + i))),
      Promise.all(cancelled.map((id) => call('DELETE', `bookings/${id}`, { as: owners.get(id) }))),
    ]);
    // On a loaded machine a request may time out (504, or a 5xx from the platform): it must then
    // keep nothing, or finish later, which the ledger below checks once everything settled.
    for (const response of [...first, ...more]) expect([201, 409, 500, 502, 504]).toContain(response.status);
    for (const response of cancels) expect([202, 204, 500, 502, 504]).toContain(response.status);
    // settles() waits for available + held = 40; the checks below tie `held` to the confirmed bookings.
    const { ledger: after } = await settles(movieId, showtimeId, 120_000);
    const Items = await bookingsOfMovie(movieId);
    const status = new Map(Items.map((b) => [String(b.id), String(b.status)]));
    for (const id of owners.keys()) expect(['confirmed', 'cancelled']).toContain(status.get(id));
    cancels.forEach((response, i) => {
      if (response.status < 300) expect(status.get(cancelled[i] as string)).toBe('cancelled');
    });
    expect(after.held).toBe(
      Items.filter((b) => b.status === 'confirmed').reduce((sum, b) => sum + b.seats, 0),
    );
    // Its own waits: the requests (a minute on a loaded machine), then up to 2 min to settle.
  }, 300_000);
});

describe('a stadium-sized showtime', () => {
  /** Runs `task` for 0..count-1, `width` at a time: enough to race, not so many that a loaded machine times out. */
  async function inPool<T>(count: number, width: number, task: (i: number) => Promise<T>): Promise<T[]> {
    const results: T[] = [];
    let next = 0;
    await Promise.all(
      Array.from({ length: width }, async () => {
        for (let i = next++; i < count; i = next++) results[i] = await task(i);
      }),
    );
    return results;
  }

  it('sells every one of 5,001 seats and not one more to 252 people booking at once', async () => {
    const CAPACITY = 5_001;
    // Each person may hold SEATS_PER_PERSON (20) seats of a showtime: 250 of them fill 5,000 seats,
    // and 2 more are refused the last one until someone books exactly that.
    const people = await inPool(252, 16, (i) => signUp(`stadium${i}`));
    const { movieId, showtimeId } = await newShowtime(CAPACITY);
    const answers = await inPool(people.length, 16, (i) =>
      book(people[i] as Person, movieId, showtimeId, SEATS_PER_PERSON),
    );
    // A request that timed out on a loaded machine (504) keeps nothing, or finishes later: the ledger counts.
    for (const answer of answers) expect([201, 409, 500, 502, 504]).toContain(answer.status);
    let { ledger } = await settles(movieId, showtimeId, 120_000);
    expect(ledger.held).toBeLessThanOrEqual(CAPACITY);
    // What the burst left (the last seat, and any a timed-out request left), sold to people holding
    // none, one booking at a time: then not one seat more.
    const holdingNone = people.filter((_, i) => answers[i]?.status !== 201);
    for (let i = 0; ledger.available > 0; i++) {
      const seats = Math.min(SEATS_PER_PERSON, ledger.available);
      expect((await bookOnce(holdingNone[i] as Person, movieId, showtimeId, seats)).status).toBe(201);
      ({ ledger } = await settles(movieId, showtimeId));
    }
    expect((await bookOnce(holdingNone.at(-1) as Person, movieId, showtimeId, 1)).status).toBe(409);
    const { ledger: sold } = await settles(movieId, showtimeId);
    expect(sold).toMatchObject({ capacity: CAPACITY, available: 0, held: CAPACITY });
    const confirmed = (await bookingsOfMovie(movieId)).filter((b) => b.status === 'confirmed');
    expect(confirmed.reduce((sum, b) => sum + Number(b.seats), 0)).toBe(CAPACITY);
  });
});

describe('the reconciler on a grown table', () => {
  /** Settled bookings written beside the test's own: the reconciler must read none of them. */
  const SETTLED = 500;
  const IN_FLIGHT = ['pending', 'releasing', 'cancelling'];

  /** Items of the bookings table in flight now, counted by a strongly consistent scan of the whole table. */
  async function inFlightNow(): Promise<number> {
    let count = 0;
    let start: Record<string, unknown> | undefined;
    do {
      const page = await dynamo.send(
        new ScanCommand({
          TableName: tables.bookings,
          FilterExpression: '#status IN (:a, :b, :c)',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: { ':a': IN_FLIGHT[0], ':b': IN_FLIGHT[1], ':c': IN_FLIGHT[2] },
          Select: 'COUNT',
          ConsistentRead: true,
          ExclusiveStartKey: start,
        }),
      );
      count += page.Count ?? 0;
      start = page.LastEvaluatedKey;
    } while (start);
    return count;
  }

  /** One reconciler pass, invoked as its schedule invokes it: what it repaired and how many items it read. */
  async function reconcilerPass(): Promise<{ repaired: string[]; read: number }> {
    const result = await lambda.send(
      new InvokeCommand({ FunctionName: resources.functionName(bookingsService, 'bookings-reconciler') }),
    );
    expect(result.FunctionError).toBeUndefined();
    return JSON.parse(new TextDecoder().decode(result.Payload));
  }

  /** Writes `count` settled bookings (as the store leaves them: out of the in-flight index); returns their keys. */
  async function settledBookings(count: number) {
    const run = randomUUID();
    const at = new Date().toISOString();
    const keys = Array.from({ length: count }, (_, i) => ({ id: `settled-${run}-${i}` }));
    for (let i = 0; i < keys.length; i += 25) {
      await dynamo.send(
        new BatchWriteCommand({
          RequestItems: {
            [tables.bookings]: keys.slice(i, i + 25).map(({ id }, j) => ({
              PutRequest: {
                Item: {
                  id,
                  userId: `settled-${run}`,
                  movieId: `settled-${run}`,
                  showtimeId: 'settled',
                  seats: 1,
                  status: ['confirmed', 'cancelled', 'released'][(i + j) % 3],
                  createdOn: at,
                  updatedOn: at,
                },
              },
            })),
          },
        }),
      );
    }
    return keys;
  }

  it(`repairs a booking a crash left pending while reading only the bookings in flight, none of ${SETTLED} settled ones`, async () => {
    const settledKeys = await settledBookings(SETTLED);
    const person = await signUp('stuck');
    const { movieId, showtimeId } = await newShowtime(5);
    // The saga queue's delayed check would repair the booking too: paused, the reconciler is the one that does.
    const sagaQueue = await queueConsumer(
      lambda,
      resources.functionName(bookingsService, 'bookings-saga'),
      'saga',
    );
    const passes: Array<{ repaired: string[]; read: number; inFlight: number }> = [];
    try {
      await sagaQueue.pausedDuring(async () => {
        await setFault('crash-after-reserve');
        try {
          expect((await book(person, movieId, showtimeId, 2)).status).toBe(500);
        } finally {
          await setFault(undefined);
        }
        const Items = await bookingsOfMovie(movieId);
        const stuck = String(Items[0]?.id);
        expect(Items.map((b) => b.status)).toEqual(['pending']);
        // Passes until the booking is no longer pending: the first ones find it too young (a create may run).
        await waitFor(
          'a reconciler pass to repair the stuck booking',
          async () => {
            const pass = await reconcilerPass();
            const inFlight = await inFlightNow();
            passes.push({ ...pass, inFlight });
            const { Item } = await dynamo.send(
              new GetCommand({ TableName: tables.bookings, Key: { id: stuck }, ConsistentRead: true }),
            );
            return Item?.status !== 'pending' ? true : undefined;
          },
          { timeoutMs: 90_000, intervalMs: 1000 },
        );
        const repairedBy = passes.find((p) => p.repaired.includes(stuck));
        console.log(
          `[reconciler] ${passes.length} passes; items read per pass ${passes.map((p) => p.read).join(', ')}, in flight ${passes.map((p) => p.inFlight).join(', ')}; repaired ${repairedBy ? 'by a pass of the test' : 'by the scheduled pass'}`,
        );
      });
      // Every pass read bookings in flight alone: never more than were in flight, never the settled ones.
      for (const pass of passes) {
        expect(pass.read).toBeLessThanOrEqual(pass.inFlight);
        expect(pass.read).toBeLessThan(SETTLED);
        expect(pass.read).toBeGreaterThanOrEqual(pass.repaired.length);
      }
      const { ledger: after } = await settles(movieId, showtimeId, 90_000);
      expect(after).toMatchObject({ available: 5, held: 0, statuses: { released: 1 } });
    } finally {
      for (let i = 0; i < settledKeys.length; i += 25)
        await dynamo.send(
          new BatchWriteCommand({
            RequestItems: {
              [tables.bookings]: settledKeys.slice(i, i + 25).map((Key) => ({ DeleteRequest: { Key } })),
            },
          }),
        );
    }
  }, 240_000);
});

describe('dead-letter queues', () => {
  const dlq = async (...extra: string[]) => {
    const run = await runScript('bin/dlq.ts', extra, { AWS_ENDPOINT_URL: undefined });
    expect(run.status, run.stderr).toBe(0);
    return run;
  };

  it('park a poison request at once, list it, and redrive parked requests back to be processed', async () => {
    const parked = await parkPoison(
      resources.rpcQueue(moviesContract),
      resources.rpcDeadLetterQueue(moviesContract),
    );
    expect(parked.Body).toMatch(/^not an envelope poison-/);

    // A request parked after failing (as after maxReceiveCount receives): listed, then redriven and processed.
    const { movieId, showtimeId } = await newShowtime(5);
    const bookingId = `parked-${randomUUID()}`;
    const parkedRequest = envelope('reserveSeats', {
      bookingId,
      userId: randomUUID(),
      movieId,
      showtimeId,
      seats: 2,
    });
    await sqs.send(
      new SendMessageCommand({
        QueueUrl: resources.rpcDeadLetterQueue(moviesContract),
        MessageBody: parkedRequest,
      }),
    );
    const listed = await dlq();
    expect(listed.stdout).toMatch(/moviesrpc\S*dlq\S*\s+messages: 1/i);
    expect(listed.stdout).toContain('"method":"reserveSeats"');

    const redriven = await dlq('--redrive', resources.rpcDeadLetterQueue(moviesContract));
    expect(redriven.stdout).toMatch(/moved 1 message/);
    const [reply] = await replies(1, parkedRequest);
    expect(reply).toMatchObject({ ok: true, result: { bookingId, reserved: 2 } });
    expect((await ledger(movieId, showtimeId)).available).toBe(3);
    expect(await drainQueue(resources.rpcDeadLetterQueue(moviesContract))).toEqual([]);
  });
});
