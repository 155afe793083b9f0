import { randomUUID } from 'node:crypto';
import {
  InvokeCommand,
  ListEventSourceMappingsCommand,
  UpdateEventSourceMappingCommand,
} from '@aws-sdk/client-lambda';
import { CreateQueueCommand, ListQueuesCommand, SendMessageCommand } from '@aws-sdk/client-sqs';
import { describe, expect, it } from 'vitest';
import { replyQueuePrefix } from '../../functions/shared/rpc/transport.js';
import { STACK_NAME } from '../../lib/stack-outputs.js';
import { api, drainQueue, lambda, outputs, sqs, waitFor } from './support.js';

const send = (method: string, path: string, body?: unknown) =>
  api(path, {
    method,
    headers: { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });

async function newUser(name = 'Ann') {
  const response = await send('POST', 'users', {
    name,
    email: `${name.toLowerCase()}-${randomUUID().slice(0, 6)}@example.com`,
  });
  expect(response.status).toBe(201);
  return response.body as { id: string; name: string; email: string };
}

async function newMovie(seats: number) {
  const response = await send('POST', 'movies', {
    title: `Alien ${randomUUID().slice(0, 6)}`,
    director: 'Ridley Scott',
    rating: 8.5,
    showtimes: [
      { startsAt: '2026-12-24T20:00:00Z', seats },
      { startsAt: '2026-12-24T17:00:00Z', seats: 100 },
    ],
  });
  expect(response.status).toBe(201);
  const movie = response.body as {
    id: string;
    showtimes: Array<{ id: string; startsAt: string; seats: number; available: number }>;
  };
  const evening = movie.showtimes.find((s) => s.startsAt === '2026-12-24T20:00:00Z');
  return { movie, showtimeId: evening?.id ?? '' };
}

const available = async (movieId: string, showtimeId: string) =>
  ((await api(`movies/${movieId}`)).body.showtimes as Array<{ id: string; available: number }>).find(
    (s) => s.id === showtimeId,
  )?.available;

describe('users', () => {
  it('support create, read, list, replace and delete', async () => {
    const user = await newUser('Cleo');
    expect(user).toMatchObject({ id: expect.stringMatching(/^[0-9A-Z]{26}$/), name: 'Cleo' });
    expect((await api(`users/${user.id}`)).body).toEqual({ ...user, createdOn: expect.any(String) });
    const replaced = await send('PUT', `users/${user.id}`, { name: 'Cleopatra', email: 'cleo@example.com' });
    expect(replaced.body).toMatchObject({ id: user.id, name: 'Cleopatra', email: 'cleo@example.com' });

    const seen = new Set<string>();
    let cursor: string | undefined;
    do {
      const page = await api(`users?limit=2${cursor ? `&cursor=${cursor}` : ''}`);
      expect(page.status).toBe(200);
      for (const u of page.body.items as Array<{ id: string }>) {
        expect(seen.has(u.id)).toBe(false);
        seen.add(u.id);
      }
      cursor = page.body.cursor;
    } while (cursor);
    expect(seen.has(user.id)).toBe(true);

    expect((await send('DELETE', `users/${user.id}`)).status).toBe(204);
    expect((await api(`users/${user.id}`)).status).toBe(404);
  });

  it.each([
    ['a missing email', { name: 'A' }, 'body.email', 'is required'],
    ['a malformed email', { name: 'A', email: 'nope' }, 'body.email', 'must be a valid email address'],
    ['an empty name', { name: ' ', email: 'a@b.io' }, 'body.name', 'must not be empty'],
  ])('refuse %s with 400', async (_case, body, field, message) => {
    const response = await send('POST', 'users', body);
    expect(response.status).toBe(400);
    expect(response.body.fields).toContainEqual({ field, message });
  });

  it('answer 404 for an unknown id and 400 for a malformed one', async () => {
    expect((await api('users/01ARZ3NDEKTSV4RRFFQ69G5FAV')).status).toBe(404);
    expect((await api('users/not-an-id')).status).toBe(400);
  });
});

describe('movies', () => {
  it('support create, read, replace and delete, with showtimes in start order', async () => {
    const { movie } = await newMovie(5);
    expect(movie.showtimes.map((s) => s.startsAt)).toEqual(['2026-12-24T17:00:00Z', '2026-12-24T20:00:00Z']);
    expect(movie.showtimes.every((s) => s.available === s.seats)).toBe(true);
    const replaced = await send('PUT', `movies/${movie.id}`, { title: 'Aliens', rating: 9 });
    expect(replaced.body).toMatchObject({
      id: movie.id,
      title: 'Aliens',
      rating: 9,
      showtimes: movie.showtimes,
    });
    expect(replaced.body.director).toBeUndefined();
    expect((await api('movies?limit=100')).body.items.map((m: { id: string }) => m.id)).toContain(movie.id);
    expect((await send('DELETE', `movies/${movie.id}`)).status).toBe(204);
    expect((await api(`movies/${movie.id}`)).status).toBe(404);
  });

  it.each([
    ['a rating above 10', { title: 'x', rating: 11, showtimes: [] }, 'body.rating'],
    [
      'a showtime without seats',
      { title: 'x', rating: 5, showtimes: [{ startsAt: '2026-12-24T20:00:00Z', seats: 0 }] },
      'body.showtimes.0.seats',
    ],
    [
      'a start time that is not a date',
      { title: 'x', rating: 5, showtimes: [{ startsAt: 'tonight', seats: 5 }] },
      'body.showtimes.0.startsAt',
    ],
  ])('refuse %s with 400 naming the field', async (_case, body, field) => {
    const response = await send('POST', 'movies', body);
    expect(response.status).toBe(400);
    expect(response.body.fields.map((f: { field: string }) => f.field)).toContain(field);
  });
});

describe('bookings', () => {
  it('book seats end to end, list them for the user, and give the seats back on cancel', async () => {
    const user = await newUser();
    const { movie, showtimeId } = await newMovie(10);
    const created = await send('POST', 'bookings', {
      userId: user.id,
      movieId: movie.id,
      showtimeId,
      seats: 3,
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      userId: user.id,
      movieId: movie.id,
      showtimeId,
      seats: 3,
      status: 'confirmed',
    });
    expect(await available(movie.id, showtimeId)).toBe(7);
    expect((await api(`bookings/${created.body.id}`)).body).toEqual(created.body);
    expect((await api(`users/${user.id}/bookings`)).body.bookings).toEqual([created.body]);

    const listed: Array<{ id: string }> = [];
    let cursor: string | undefined;
    do {
      const page = await api(`bookings?limit=50${cursor ? `&cursor=${cursor}` : ''}`);
      expect(page.status).toBe(200);
      listed.push(...page.body.items);
      cursor = page.body.cursor;
    } while (cursor);
    expect(listed.filter((b) => b.id === created.body.id)).toHaveLength(1);

    expect((await send('DELETE', `users/${user.id}`)).status).toBe(409);

    expect((await send('DELETE', `bookings/${created.body.id}`)).status).toBe(204);
    expect(await available(movie.id, showtimeId)).toBe(10);
    expect((await api(`bookings/${created.body.id}`)).body).toMatchObject({
      id: created.body.id,
      status: 'cancelled',
    });
    expect((await send('DELETE', `bookings/${created.body.id}`)).status).toBe(204);
    expect(await available(movie.id, showtimeId)).toBe(10);
    expect((await send('DELETE', `users/${user.id}`)).status).toBe(204);
  });

  it('never sells more seats than a showtime has: 50 concurrent requests for 10 seats', async () => {
    const users = await Promise.all(Array.from({ length: 5 }, (_, i) => newUser(`Fan${i}`)));
    const { movie, showtimeId } = await newMovie(10);
    const responses = await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        send('POST', 'bookings', {
          userId: users[i % users.length]?.id,
          movieId: movie.id,
          showtimeId,
          seats: 1,
        }),
      ),
    );
    const statuses = responses.map((r) => r.status);
    expect(statuses.filter((s) => s === 201)).toHaveLength(10);
    expect(statuses.filter((s) => s === 409)).toHaveLength(40);
    expect(await available(movie.id, showtimeId)).toBe(0);
    const booked = await Promise.all(
      users.map(async (u) => (await api(`users/${u.id}/bookings`)).body.bookings.length as number),
    );
    expect(booked.reduce((a, b) => a + b, 0)).toBe(10);
  });

  it('answers 404 for a missing user or showtime, reserving nothing', async () => {
    const user = await newUser();
    const { movie, showtimeId } = await newMovie(4);
    const noUser = await send('POST', 'bookings', {
      userId: '01ARZ3NDEKTSV4RRFFQ69G5FAV',
      movieId: movie.id,
      showtimeId,
      seats: 1,
    });
    expect(noUser.status).toBe(404);
    expect(noUser.body.message).toContain('user');
    const noShow = await send('POST', 'bookings', {
      userId: user.id,
      movieId: movie.id,
      showtimeId: '01ARZ3NDEKTSV4RRFFQ69G5FAV',
      seats: 1,
    });
    expect(noShow.status).toBe(404);
    expect(await available(movie.id, showtimeId)).toBe(4);
  });

  it('answers 504 when a service does not answer in time, and works again once it does', async () => {
    const user = await newUser();
    const { movie, showtimeId } = await newMovie(4);
    const { EventSourceMappings = [] } = await lambda.send(
      new ListEventSourceMappingsCommand({ FunctionName: outputs.usersFunctionName }),
    );
    const mapping = EventSourceMappings.find((m) => m.EventSourceArn?.includes('usersrpc'));
    expect(mapping?.UUID).toBeDefined();
    await lambda.send(new UpdateEventSourceMappingCommand({ UUID: mapping?.UUID, Enabled: false }));
    try {
      const started = Date.now();
      const response = await send('POST', 'bookings', {
        userId: user.id,
        movieId: movie.id,
        showtimeId,
        seats: 1,
      });
      expect(response.status).toBe(504);
      expect(response.body.error).toBe('Timeout');
      expect(Date.now() - started).toBeLessThan(15_000);
    } finally {
      await lambda.send(new UpdateEventSourceMappingCommand({ UUID: mapping?.UUID, Enabled: true }));
    }
    expect(await available(movie.id, showtimeId)).toBe(4);
    const retried = await waitFor('the users service to answer again', async () => {
      const response = await send('POST', 'bookings', {
        userId: user.id,
        movieId: movie.id,
        showtimeId,
        seats: 1,
      });
      return response.status === 201 ? response : undefined;
    });
    expect(retried.body.seats).toBe(1);
  });

  it('parks a poison RPC message in the service dead-letter queue', async () => {
    await drainQueue(outputs.usersRpcDlqUrl);
    const marker = `poison-${randomUUID()}`;
    await sqs.send(
      new SendMessageCommand({
        QueueUrl: outputs.usersRpcQueueUrl,
        MessageBody: `not an envelope ${marker}`,
      }),
    );
    const parked = await waitFor(
      'the poison message in the DLQ',
      async () => {
        const messages = await drainQueue(outputs.usersRpcDlqUrl);
        return messages.find((m) => m.Body?.includes(marker));
      },
      { timeoutMs: 15_000, intervalMs: 500 },
    );
    expect(parked.Body).toContain(marker);
  });
});

describe('reply queue janitor', () => {
  it("deletes this stack's reply queues idle for 15 minutes, keeps the ones in use and never touches another stack's", async () => {
    const tag = randomUUID().slice(0, 8);
    const ours = replyQueuePrefix(STACK_NAME);
    const make = async (name: string, heartbeat: Date) =>
      (
        await sqs.send(
          new CreateQueueCommand({ QueueName: name, tags: { heartbeat: heartbeat.toISOString() } }),
        )
      ).QueueUrl;
    const anHourAgo = new Date(Date.now() - 60 * 60_000);
    await make(`${ours}gone-${tag}`, anHourAgo);
    await make(`${ours}alive-${tag}`, new Date());
    await make(`${replyQueuePrefix('OtherStack')}gone-${tag}`, anHourAgo);
    const result = await lambda.send(new InvokeCommand({ FunctionName: outputs.rpcJanitorFunctionName }));
    const { deleted } = JSON.parse(Buffer.from(result.Payload ?? []).toString()) as { deleted: string[] };
    expect(deleted.some((url) => url.endsWith(`${ours}gone-${tag}`))).toBe(true);
    const left = async (name: string) =>
      (await sqs.send(new ListQueuesCommand({ QueueNamePrefix: name }))).QueueUrls ?? [];
    expect(await left(`${ours}gone-${tag}`)).toEqual([]);
    expect(await left(`${ours}alive-${tag}`)).toHaveLength(1);
    expect(await left(`${replyQueuePrefix('OtherStack')}gone-${tag}`)).toHaveLength(1);
  });
});
