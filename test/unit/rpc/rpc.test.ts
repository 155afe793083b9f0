import { beforeEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ConflictError, DeadlineExceededError, NotFoundError } from '../../../functions/shared/errors.js';
import { toErrorResponse } from '../../../functions/shared/http/errors.js';
import { REPLY_MARGIN_MS, rpcClient, timeoutWithin } from '../../../functions/shared/rpc/client.js';
import { defineContract, typedClient } from '../../../functions/shared/rpc/contract.js';
import {
  InvalidEnvelopeError,
  parseReply,
  parseRequest,
  RemoteError,
} from '../../../functions/shared/rpc/envelope.js';
import { rpcServer } from '../../../functions/shared/rpc/server.js';
import { memoryTransport } from '../../support/memory-rpc-transport.js';

const USERS = 'memory://users-requests';
const USERS_DLQ = 'memory://users-requests-dlq';

const user = z.object({ id: z.string(), name: z.string() });
const usersContract = defineContract('users', {
  get: { input: z.object({ id: z.string().min(1) }), output: user },
  echo: { input: z.object({ n: z.number() }), output: z.object({ n: z.number(), doubled: z.number() }) },
  taken: { input: z.object({}), output: z.null() },
  crash: { input: z.object({}), output: z.null() },
  silent: { input: z.object({}), output: z.null() },
  broken: { input: z.object({}), output: user },
});
let bus: ReturnType<typeof memoryTransport>;
let client: ReturnType<typeof rpcClient>;
let seq = 0;
const options = { timeoutMs: 1000, requestId: 'req-1' };

const users = new Map([
  ['u1', { id: 'u1', name: 'Ann' }],
  ['u2', { id: 'u2', name: 'Bob' }],
]);

beforeEach(() => {
  bus = memoryTransport();
  bus.create(USERS_DLQ);
  const server = rpcServer(
    usersContract,
    {
      get: async ({ id }) => {
        const found = users.get(id);
        if (!found) throw new NotFoundError(`user ${id} not found`);
        return found;
      },
      echo: async ({ n }) => ({ n, doubled: n * 2 }),
      taken: async () => Promise.reject(new ConflictError('already booked')),
      crash: async () => Promise.reject(new Error('disk on fire')),
      silent: () => new Promise(() => {}),
      // Answers outside its declared output: the server must not pass it on.
      broken: async () => ({ id: 'u1' }) as unknown as { id: string; name: string },
    },
    { transport: bus.transport, deadLetterQueueUrl: USERS_DLQ },
  );
  bus.consume(USERS, server);
  client = rpcClient({
    transport: bus.transport,
    services: { users: USERS },
    replyQueueName: 'Stack-rpc-reply-bookings-test',
    newId: () => `c${++seq}`,
  });
});

describe('RPC over queues', () => {
  it('returns the remote result', async () => {
    expect(await client.call('users', 'get', { id: 'u1' }, options)).toEqual({ id: 'u1', name: 'Ann' });
  });

  it('never hands a caller another call’s reply, with 50 calls in flight and replies out of order', async () => {
    const results = await Promise.all(
      Array.from({ length: 50 }, (_, n) =>
        client.call<{ n: number; doubled: number }>('users', 'echo', { n }, options),
      ),
    );
    expect(results).toEqual(Array.from({ length: 50 }, (_, n) => ({ n, doubled: n * 2 })));
  });

  it('throws typed remote errors carrying the code and message', async () => {
    const notFound = await client.call('users', 'get', { id: 'nobody' }, options).catch((e: unknown) => e);
    expect(notFound).toBeInstanceOf(RemoteError);
    expect(notFound).toMatchObject({
      service: 'users',
      method: 'get',
      code: 'NotFound',
      message: 'user nobody not found',
    });
    await expect(client.call('users', 'taken', {}, options)).rejects.toMatchObject({ code: 'Conflict' });
  });

  it('answers an unknown method and an invalid payload with an error reply, not a retry', async () => {
    await expect(client.call('users', 'delete', {}, options)).rejects.toMatchObject({
      code: 'UnknownMethod',
    });
    const invalid = await client.call('users', 'get', { id: 42 }, options).catch((e: unknown) => e);
    expect(invalid).toMatchObject({
      code: 'ValidationError',
      fields: [{ field: 'payload.id', message: expect.any(String) }],
    });
    expect(bus.failed).toEqual([]);
  });

  it('times out instead of hanging, and still works afterwards', async () => {
    const started = Date.now();
    await expect(client.call('users', 'silent', {}, { ...options, timeoutMs: 100 })).rejects.toBeInstanceOf(
      DeadlineExceededError,
    );
    expect(Date.now() - started).toBeLessThan(1000);
    expect(await client.call('users', 'get', { id: 'u2' }, options)).toEqual({ id: 'u2', name: 'Bob' });
  });

  it('lets an unexpected failure be retried by SQS rather than answered', async () => {
    await expect(client.call('users', 'crash', {}, { ...options, timeoutMs: 200 })).rejects.toBeInstanceOf(
      DeadlineExceededError,
    );
    expect(bus.failed.map((body) => JSON.parse(body).method)).toEqual(['crash']);
  });

  it('parks a message that is not an RPC request in the DLQ at once, without a retry', async () => {
    await bus.inject(USERS, 'this is not json');
    await expect.poll(() => bus.pending(USERS_DLQ)).toBe(1);
    const [parked] = await bus.transport.receive(USERS_DLQ, 0);
    expect(parked?.body).toBe('this is not json');
    expect(bus.failed).toEqual([]);
  });

  it('validates results against the declared output on both sides', async () => {
    await expect(client.call('users', 'broken', {}, options)).rejects.toMatchObject({
      code: 'InternalError',
    });
    const typed = typedClient(client, usersContract, options);
    expect(await typed.get({ id: 'u1' })).toEqual({ id: 'u1', name: 'Ann' });
    const lying = typedClient({ call: async () => ({ id: 'u1' }) }, usersContract, options);
    await expect(lying.get({ id: 'u1' })).rejects.toMatchObject({ code: 'InternalError' });
  });

  it('gives callers typed methods checked at compile time', async () => {
    const typed = typedClient(client, usersContract, options);
    const { doubled } = await typed.echo({ n: 4 });
    expect(doubled).toBe(8);
    // @ts-expect-error: `n` must be a number; a renamed or retyped field fails typecheck.
    await expect(typed.echo({ n: 'four' })).rejects.toMatchObject({ code: 'ValidationError' });
  });

  it('drops a request whose deadline has passed without answering it', async () => {
    const replyTo = 'memory://late-replies';
    bus.create(replyTo);
    await bus.inject(
      USERS,
      JSON.stringify({
        v: 1,
        correlationId: 'late',
        replyTo,
        service: 'users',
        method: 'get',
        payload: { id: 'u1' },
        deadline: Date.now() - 1,
        requestId: 'r',
      }),
    );
    await bus.inject(
      USERS,
      JSON.stringify({
        v: 1,
        correlationId: 'fresh',
        replyTo,
        service: 'users',
        method: 'get',
        payload: { id: 'u1' },
        deadline: Date.now() + 5000,
        requestId: 'r',
      }),
    );
    await expect.poll(() => bus.pending(replyTo)).toBe(1);
    const [reply] = await bus.transport.receive(replyTo, 0);
    expect(parseReply(reply?.body ?? '').correlationId).toBe('fresh');
    expect(bus.failed).toEqual([]);
  });

  it('refuses a call to a service it has no queue for', async () => {
    await expect(client.call('movies', 'get', {}, options)).rejects.toThrow(
      'no RPC queue configured for service "movies"',
    );
  });
});

describe('a call made while serving a call', () => {
  const BOOKINGS = 'memory://bookings-requests';
  const bookingsContract = defineContract('bookings', {
    /** Serves its caller by calling users: the nested hop. */
    ownerOf: { input: z.object({ userId: z.string() }), output: user },
  });
  /** Users the middle service asks other users methods about: one never answers, one answers outside its contract. */
  const DOWNSTREAM: Record<string, [string, unknown]> = { quiet: ['silent', {}], garbled: ['broken', {}] };
  let caller: ReturnType<typeof rpcClient>;

  beforeEach(() => {
    const bookingsClient = rpcClient({
      transport: bus.transport,
      services: { users: USERS },
      replyQueueName: 'Stack-rpc-reply-bookings-nested',
      newId: () => `n${++seq}`,
    });
    bus.consume(
      BOOKINGS,
      rpcServer(
        bookingsContract,
        {
          ownerOf: async ({ userId }, { requestId, deadline }) => {
            const [method, payload] = DOWNSTREAM[userId] ?? ['get', { id: userId }];
            const options = { requestId, timeoutMs: timeoutWithin(deadline) };
            return user.parse(await bookingsClient.call('users', method, payload, options));
          },
        },
        { transport: bus.transport, deadLetterQueueUrl: USERS_DLQ },
      ),
    );
    caller = rpcClient({
      transport: bus.transport,
      services: { bookings: BOOKINGS },
      replyQueueName: 'Stack-rpc-reply-api-nested',
      newId: () => `a${++seq}`,
    });
  });

  it('answers with the downstream error’s code and message rather than being retried', async () => {
    const started = Date.now();
    const failure = await caller
      .call('bookings', 'ownerOf', { userId: 'nobody' }, { ...options, timeoutMs: 2000 })
      .catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(RemoteError);
    expect(failure).toMatchObject({
      service: 'bookings',
      method: 'ownerOf',
      code: 'NotFound',
      message: 'user nobody not found',
    });
    expect(Date.now() - started).toBeLessThan(1000);
    expect(bus.failed).toEqual([]);
    expect(bus.pending(USERS_DLQ)).toBe(0);
  });

  it('keeps codes that are not domain errors too, such as a downstream answer outside its contract', async () => {
    await expect(caller.call('bookings', 'ownerOf', { userId: 'garbled' }, options)).rejects.toMatchObject({
      code: 'InternalError',
      message: 'users.broken failed',
    });
    expect(bus.failed).toEqual([]);
  });

  it('answers a downstream silence as a typed Timeout before the caller’s own deadline', async () => {
    const timeoutMs = 1000;
    const started = Date.now();
    const failure = await caller
      .call('bookings', 'ownerOf', { userId: 'quiet' }, { ...options, timeoutMs })
      .catch((e: unknown) => e);
    // The remote's answer, not the caller giving up (which would be a local DeadlineExceededError).
    expect(failure).toBeInstanceOf(RemoteError);
    expect(failure).toMatchObject({
      code: 'Timeout',
      message: expect.stringMatching(/^users\.silent did not answer/),
    });
    expect(Date.now() - started).toBeLessThan(timeoutMs);
    expect(bus.failed).toEqual([]);
  });

  it('gives a nested call what is left of the deadline, less the way back, and never more than a call’s own limit', () => {
    expect(timeoutWithin(10_000, 9_000)).toBe(1_000 - REPLY_MARGIN_MS);
    expect(timeoutWithin(10_000, 10_000)).toBe(0);
    expect(timeoutWithin(Number.MAX_SAFE_INTEGER, 0)).toBe(5_000);
  });
});

describe('envelopes', () => {
  it('reject anything that is not a v1 request or reply', () => {
    expect(() => parseRequest('{}')).toThrow(InvalidEnvelopeError);
    expect(() =>
      parseRequest(
        JSON.stringify({ v: 1, correlationId: 'c', service: 's', method: 'm', requestId: 'r', deadline: 1 }),
      ),
    ).toThrow('request has no replyTo');
    expect(() => parseReply(JSON.stringify({ v: 1, correlationId: 'c' }))).toThrow(InvalidEnvelopeError);
  });
});

describe('remote errors at the API', () => {
  it.each([
    ['NotFound', 404],
    ['Conflict', 409],
    ['ValidationError', 400],
    ['UnknownMethod', 502],
    ['InternalError', 502],
  ] as const)('map %s to %i', async (code, status) => {
    const response = toErrorResponse(new RemoteError('users', 'get', code, 'detail'), 'r1');
    expect(response.status).toBe(status);
    if (status === 502) expect(response.body.message).toBe('the users service failed');
  });

  it('maps a missed deadline to 504', () => {
    expect(toErrorResponse(new DeadlineExceededError('users.get did not answer'), 'r1').status).toBe(504);
  });
});

describe('reply queues', () => {
  it('are made once per environment, and made anew under a new name if the janitor removed one', async () => {
    let skew = 0;
    const local = memoryTransport();
    local.consume(
      USERS,
      rpcServer(
        defineContract('users', { ping: { input: z.object({}), output: z.string() } }),
        { ping: async () => 'pong' },
        { transport: local.transport, deadLetterQueueUrl: USERS_DLQ },
      ),
    );
    const caller = rpcClient({
      transport: local.transport,
      services: { users: USERS },
      replyQueueName: 'rpc-reply-bookings-x',
      newId: () => `c${++seq}`,
      now: () => Date.now() + skew,
    });
    await caller.call('users', 'ping', {}, options);
    await caller.call('users', 'ping', {}, options);
    expect(local.created).toEqual(['rpc-reply-bookings-x']);

    local.removeQueue('memory://rpc-reply-bookings-x');
    skew += 61_000;
    expect(await caller.call('users', 'ping', {}, options)).toBe('pong');
    expect(local.created).toEqual(['rpc-reply-bookings-x', 'rpc-reply-bookings-x-1']);
  });
});
