import { randomUUID } from 'node:crypto';
import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';
import { outputName } from '../../lib/stack-outputs.js';
import { call, type Person, signUp, signUpAdmin } from './people.js';
import { type ApiResponse, api, dynamo, outputs } from './support.js';

/**
 * Idempotency-Key on the deployed API (functions/shared/http/idempotency.ts):
 * a repeat acts once and gets the first answer, another body is a 422, a
 * malformed key a 400, and keys belong to their caller.
 */

/** When this file started (epoch seconds): its keyed requests' records were all written after it. */
const fileStarted = Date.now() / 1000;
let admin: Person;
let alice: Person;
let bob: Person;
let movieId: string;
let showtimeId: string;

beforeAll(async () => {
  [admin, alice, bob] = await Promise.all([
    signUpAdmin('idem-admin'),
    signUp('idem-alice'),
    signUp('idem-bob'),
  ]);
  const movie = await call('POST', 'movies', {
    as: admin,
    body: {
      title: `Heat ${randomUUID().slice(0, 6)}`,
      rating: 8,
      showtimes: [{ startsAt: '2036-11-01T20:00:00Z', seats: 50 }],
    },
  });
  expect(movie.status).toBe(201);
  movieId = movie.body.id;
  showtimeId = movie.body.showtimes[0].id;
});

/** Calls the API as `person` with an Idempotency-Key. */
const keyed = <T = any>(
  method: string,
  path: string,
  key: string,
  { as, body }: { as: Person; body?: unknown },
): Promise<ApiResponse<T>> => call<T>(method, path, { as, body, key });

const seatsLeft = async () =>
  ((await api(`movies/${movieId}`)).body.showtimes as Array<{ id: string; available: number }>).find(
    (s) => s.id === showtimeId,
  )?.available;

/** Every booking of `person` on the test's showtime. */
async function bookingsOf(person: Person): Promise<Array<{ id: string; seats: number }>> {
  const page = await call('GET', 'bookings?limit=100', { as: person });
  expect(page.status).toBe(200);
  return (page.body.items as Array<{ id: string; seats: number; showtimeId: string }>).filter(
    (b) => b.showtimeId === showtimeId,
  );
}

const answer = (response: ApiResponse) => ({ status: response.status, body: response.body });

describe('Idempotency-Key on POST /bookings', () => {
  it('books once for a request sent twice with one key, and answers both alike', async () => {
    const person = await signUp('idem-twice');
    const before = await seatsLeft();
    const key = randomUUID();
    const body = { movieId, showtimeId, seats: 2 };
    const first = await keyed('POST', 'bookings', key, { as: person, body });
    const second = await keyed('POST', 'bookings', key, { as: person, body });
    expect(first.status).toBe(201);
    expect(answer(second)).toEqual(answer(first));
    expect(first.headers.get('idempotent-replayed')).toBeNull();
    expect(second.headers.get('idempotent-replayed')).toBe('true');
    expect(await bookingsOf(person)).toEqual([expect.objectContaining({ id: first.body.id, seats: 2 })]);
    expect(await seatsLeft()).toBe((before as number) - 2);
  });

  it('books once for five concurrent repeats, each answered with the same booking', async () => {
    const person = await signUp('idem-burst');
    const before = await seatsLeft();
    const key = randomUUID();
    const body = { movieId, showtimeId, seats: 1 };
    const answers = await Promise.all(
      Array.from({ length: 5 }, () => keyed('POST', 'bookings', key, { as: person, body })),
    );
    const [first] = answers.map(answer);
    expect(first?.status).toBe(201);
    for (const each of answers) expect(answer(each)).toEqual(first);
    expect(answers.filter((a) => a.headers.get('idempotent-replayed') === 'true')).toHaveLength(4);
    expect(await bookingsOf(person)).toHaveLength(1);
    expect(await seatsLeft()).toBe((before as number) - 1);
  });

  it('refuses the same key with another body with a 422 naming the header, booking nothing more', async () => {
    const key = randomUUID();
    const first = await keyed('POST', 'bookings', key, {
      as: alice,
      body: { movieId, showtimeId, seats: 1 },
    });
    expect(first.status).toBe(201);
    const other = await keyed('POST', 'bookings', key, {
      as: alice,
      body: { movieId, showtimeId, seats: 3 },
    });
    expect(other.status).toBe(422);
    expect(other.body).toMatchObject({
      error: 'IdempotencyKeyReused',
      message: expect.stringContaining('Idempotency-Key'),
      fields: [{ field: 'headers.Idempotency-Key', message: expect.any(String) }],
    });
    expect((await bookingsOf(alice)).map((b) => b.id)).toEqual([first.body.id]);
  });

  it("never hands one person's answer to another who sends the same key and body", async () => {
    const key = randomUUID();
    const body = { movieId, showtimeId, seats: 1 };
    const bobs = await keyed('POST', 'bookings', key, { as: bob, body });
    const someone = await signUp('idem-other');
    const theirs = await keyed('POST', 'bookings', key, { as: someone, body });
    expect([bobs.status, theirs.status]).toEqual([201, 201]);
    expect(theirs.body.id).not.toBe(bobs.body.id);
    expect(theirs.body.userId).toBe(someone.id);
    expect(theirs.headers.get('idempotent-replayed')).toBeNull();
  });

  it('refuses a malformed key with a 400 naming the header, booking nothing', async () => {
    const person = await signUp('idem-malformed');
    const tooLong = await keyed('POST', 'bookings', 'k'.repeat(256), {
      as: person,
      body: { movieId, showtimeId, seats: 1 },
    });
    expect(tooLong.status).toBe(400);
    expect(tooLong.body.fields).toEqual([
      { field: 'headers.Idempotency-Key', message: 'must be at most 255 characters' },
    ]);
    expect(await bookingsOf(person)).toEqual([]);
  });

  it('cancels once for a DELETE sent twice with one key: both answers are the first, the seats back once', async () => {
    const before = await seatsLeft();
    const booked = await call('POST', 'bookings', { as: alice, body: { movieId, showtimeId, seats: 1 } });
    expect(booked.status).toBe(201);
    const key = randomUUID();
    const first = await keyed('DELETE', `bookings/${booked.body.id}`, key, { as: alice });
    const second = await keyed('DELETE', `bookings/${booked.body.id}`, key, { as: alice });
    expect(first.status).toBe(204);
    expect(answer(second)).toEqual(answer(first));
    expect(second.headers.get('idempotent-replayed')).toBe('true');
    expect(await seatsLeft()).toBe(before);
  });

  it('keeps each answer in the bookings idempotency table for 24 hours, then lets DynamoDB expire it', async () => {
    const { Items = [] } = await dynamo.send(
      new ScanCommand({ TableName: outputs[outputName.table('bookings', 'idempotency')] }),
    );
    // The bookings this file's people made with a key (other files' requests may be there too).
    const completed = Items.filter(
      (item) =>
        item.status === 'COMPLETED' &&
        [alice.id, bob.id].some((id) => JSON.stringify(item.data ?? '').includes(id)),
    );
    expect(completed.length).toBeGreaterThanOrEqual(2); // alice's and bob's bookings of one key
    const now = Date.now() / 1000;
    const day = 24 * 3600;
    for (const item of completed) {
      // Powertools' record id: our prefix and a hash of the route, the caller and the key.
      expect(item.id).toMatch(/^http#[A-Za-z0-9+/=]{44}$/);
      // Written after this file started, each for a day from then.
      expect(item.expiration).toBeGreaterThanOrEqual(Math.floor(fileStarted) + day);
      expect(item.expiration).toBeLessThanOrEqual(Math.ceil(now) + day);
      expect(item.data).toMatchObject({ statusCode: expect.any(Number) });
    }
  });
});

describe('Idempotency-Key on POST /tasks', () => {
  it('adds one task for a task added twice with one key', async () => {
    const name = `once ${randomUUID().slice(0, 8)}`;
    const key = randomUUID();
    const first = await keyed('POST', 'tasks', key, { as: bob, body: { name } });
    const second = await keyed('POST', 'tasks', key, { as: bob, body: { name } });
    expect(first.status).toBe(201);
    expect(answer(second)).toEqual(answer(first));
    const tasks = await call('GET', 'tasks?limit=100', { as: bob });
    expect((tasks.body.tasks as Array<{ name: string }>).filter((t) => t.name === name)).toHaveLength(1);
  });

  it('adds a task for each request without a key, as before', async () => {
    const name = `twice ${randomUUID().slice(0, 8)}`;
    await call('POST', 'tasks', { as: bob, body: { name } });
    await call('POST', 'tasks', { as: bob, body: { name } });
    const tasks = await call('GET', 'tasks?limit=100', { as: bob });
    expect((tasks.body.tasks as Array<{ name: string }>).filter((t) => t.name === name)).toHaveLength(2);
  });
});

describe('the deployed API document', () => {
  it('states the header on POST /bookings and POST /tasks', async () => {
    const { paths } = (await api('openapi.json')).body;
    for (const operation of [paths['/bookings'].post, paths['/tasks'].post]) {
      expect(operation.parameters).toContainEqual(
        expect.objectContaining({ name: 'Idempotency-Key', in: 'header', required: false }),
      );
    }
  });
});
