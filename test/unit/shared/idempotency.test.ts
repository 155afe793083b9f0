import type { APIGatewayProxyEvent, Context } from 'aws-lambda';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import { ConflictError } from '../../../functions/shared/errors.js';
import {
  actOnceWith,
  IDEMPOTENCY_WINDOW_SECONDS,
  type KeyedRequest,
  MAX_KEY_LENGTH,
} from '../../../functions/shared/http/idempotency.js';
import { httpHandler } from '../../../functions/shared/http/middleware.js';
import { defineRoutes, Reply } from '../../../functions/shared/http/route.js';
import { apiEvent, lambdaContext } from '../../support/api-events.js';
import { memoryIdempotencyStore } from '../../support/memory-idempotency-store.js';

const routes = defineRoutes({
  book: {
    method: 'POST',
    path: '/bookings',
    summary: 'book',
    auth: 'user',
    body: z.strictObject({ seats: z.number().int(), note: z.string().optional() }),
    status: 201,
    response: z.object({ id: z.string(), seats: z.number() }),
  },
  cancel: { method: 'DELETE', path: '/bookings/{id}', summary: 'cancel', auth: 'user' },
  rename: {
    method: 'PUT',
    path: '/names/{id}',
    summary: 'rename',
    auth: 'user',
    otherStatuses: [201],
    response: z.object({ created: z.boolean() }),
  },
  login: {
    method: 'POST',
    path: '/login',
    summary: 'login',
    auth: 'none',
    idempotencyKey: false,
    response: z.object({ token: z.string() }),
  },
  read: { method: 'GET', path: '/bookings', summary: 'read', auth: 'user' },
});

/** A handler over the routes above whose acts are counted; `book` answers a new id each time it acts. */
function service(hooks: { beforeBooking?: () => Promise<void> } = {}) {
  const { store, records, failNext } = memoryIdempotencyStore();
  let booked = 0;
  const acts = { book: vi.fn(), cancel: vi.fn(), rename: vi.fn(), login: vi.fn() };
  const handler = httpHandler(
    routes,
    {
      book: async ({ body }) => {
        acts.book(body);
        await hooks.beforeBooking?.();
        if (body.note === 'full') throw new ConflictError('too few seats left');
        booked += 1;
        return { id: `b${booked}`, seats: body.seats };
      },
      cancel: async () => {
        acts.cancel();
      },
      rename: async () => {
        acts.rename();
        return new Reply(201, { created: true });
      },
      login: async () => {
        acts.login();
        return { token: `t${acts.login.mock.calls.length}` };
      },
      read: async () => undefined,
    },
    { idempotency: store },
  );
  return { handler, acts, records, failNext };
}

interface Call {
  method?: string;
  resource?: string;
  as?: string;
  key?: string | string[];
  body?: string;
  params?: Record<string, string>;
  context?: Context;
}

async function send(handler: ReturnType<typeof service>['handler'], call: Call) {
  const keys = call.key === undefined ? [] : Array.isArray(call.key) ? call.key : [call.key];
  const event = apiEvent({
    httpMethod: call.method ?? 'POST',
    resource: call.resource ?? '/bookings',
    path: call.resource ?? '/bookings',
    headers: {
      'Content-Type': 'application/json',
      ...(keys.length > 0 ? { 'Idempotency-Key': keys[keys.length - 1] as string } : {}),
    },
    multiValueHeaders: keys.length > 0 ? { 'Idempotency-Key': keys } : {},
    body: call.body ?? null,
    pathParameters: call.params ?? null,
    requestContext: {
      requestId: 'req-1',
      authorizer: { userId: call.as ?? 'ann', role: 'user' },
    } as unknown as APIGatewayProxyEvent['requestContext'],
  });
  const response = await handler(event, call.context ?? lambdaContext);
  return {
    status: response.statusCode,
    body: response.body ? JSON.parse(response.body) : undefined,
    headers: response.headers ?? {},
  };
}

const KEY = '8e03978e-40d5-43e8-bc93-6894a57f9324';
const BODY = '{"seats":2}';

describe('Idempotency-Key: repeats', () => {
  it('answers a repeat with the same key and body with the first answer, acting once', async () => {
    const { handler, acts } = service();
    const first = await send(handler, { key: KEY, body: BODY });
    const second = await send(handler, { key: KEY, body: BODY });
    expect(first).toMatchObject({ status: 201, body: { id: 'b1', seats: 2 } });
    expect(first.headers).not.toHaveProperty('idempotent-replayed');
    expect(second).toMatchObject({ status: first.status, body: first.body });
    expect(second.headers['idempotent-replayed']).toBe('true');
    expect(acts.book).toHaveBeenCalledTimes(1);
  });

  it('takes a body with its keys in another order or other spacing as the same request', async () => {
    const { handler, acts } = service();
    await send(handler, { key: KEY, body: '{"seats":2,"note":"aisle"}' });
    const again = await send(handler, { key: KEY, body: '{ "note": "aisle",  "seats": 2 }' });
    expect(again).toMatchObject({ status: 201, body: { id: 'b1' } });
    expect(acts.book).toHaveBeenCalledTimes(1);
  });

  it('replays the status of a Reply and an empty 204 as they were', async () => {
    const { handler, acts } = service();
    const put = { method: 'PUT', resource: '/names/{id}', params: { id: 'n1' }, key: KEY };
    expect((await send(handler, put)).status).toBe(201);
    expect(await send(handler, put)).toMatchObject({ status: 201, body: { created: true } });
    const cancel = { method: 'DELETE', resource: '/bookings/{id}', params: { id: 'b1' }, key: KEY };
    expect((await send(handler, cancel)).status).toBe(204);
    expect(await send(handler, cancel)).toMatchObject({ status: 204, body: undefined });
    expect(acts.rename).toHaveBeenCalledTimes(1);
    expect(acts.cancel).toHaveBeenCalledTimes(1);
  });

  it('acts on every request that sends no key (the header is optional)', async () => {
    const { handler, acts } = service();
    await send(handler, { body: BODY });
    const second = await send(handler, { body: BODY });
    expect(second.body.id).toBe('b2');
    expect(acts.book).toHaveBeenCalledTimes(2);
  });

  it('refuses the same key with another body with a 422 naming the header, without acting', async () => {
    const { handler, acts } = service();
    await send(handler, { key: KEY, body: BODY });
    const other = await send(handler, { key: KEY, body: '{"seats":3}' });
    expect(other).toMatchObject({
      status: 422,
      body: {
        error: 'IdempotencyKeyReused',
        fields: [{ field: 'headers.Idempotency-Key', message: expect.stringContaining('different request') }],
      },
    });
    expect(other.body.message).toContain('Idempotency-Key');
    expect(acts.book).toHaveBeenCalledTimes(1);
  });

  it('refuses the same key on another item of the same route (other path parameters) with a 422', async () => {
    const { handler, acts } = service();
    const cancel = { method: 'DELETE', resource: '/bookings/{id}', key: KEY };
    await send(handler, { ...cancel, params: { id: 'b1' } });
    expect((await send(handler, { ...cancel, params: { id: 'b2' } })).status).toBe(422);
    expect(acts.cancel).toHaveBeenCalledTimes(1);
  });

  it('frees the key of a request whose route failed, so a retry acts again', async () => {
    const { handler, acts, records } = service();
    const full = await send(handler, { key: KEY, body: '{"seats":2,"note":"full"}' });
    expect(full.status).toBe(409);
    expect(records.size).toBe(0);
    const retry = await send(handler, { key: KEY, body: '{"seats":2,"note":"full"}' });
    expect(retry.status).toBe(409);
    expect(acts.book).toHaveBeenCalledTimes(2);
  });

  it('still answers when keeping the answer fails (the route has acted)', async () => {
    const { handler, failNext } = service();
    failNext('update');
    expect(await send(handler, { key: KEY, body: BODY })).toMatchObject({ status: 201, body: { id: 'b1' } });
  });
});

describe('Idempotency-Key: scope', () => {
  it("never replays one caller's answer to another who sends the same key and body", async () => {
    const { handler, acts } = service();
    const ann = await send(handler, { as: 'ann', key: KEY, body: BODY });
    const bob = await send(handler, { as: 'bob', key: KEY, body: BODY });
    expect(ann.body.id).toBe('b1');
    expect(bob).toMatchObject({ status: 201, body: { id: 'b2' } });
    expect(bob.headers).not.toHaveProperty('idempotent-replayed');
    expect(acts.book).toHaveBeenCalledTimes(2);
    // And each gets their own answer back on a repeat.
    expect((await send(handler, { as: 'bob', key: KEY, body: BODY })).body.id).toBe('b2');
    expect((await send(handler, { as: 'ann', key: KEY, body: BODY })).body.id).toBe('b1');
  });

  it('keeps neither the key, the caller nor the request in clear (only what the route answered)', async () => {
    const { handler, records } = service();
    await send(handler, { key: KEY, body: '{"seats":2,"note":"my secret"}' });
    const kept = JSON.stringify([...records]);
    expect([...records.keys()]).toEqual([expect.stringMatching(/^http#[A-Za-z0-9+/=]{44}$/)]);
    expect(kept).not.toContain(KEY);
    expect(kept).not.toContain('ann');
    expect(kept).not.toContain('my secret');
  });

  it('keeps one key on two routes apart', async () => {
    const { handler, acts } = service();
    await send(handler, { key: KEY, body: BODY });
    const put = await send(handler, {
      method: 'PUT',
      resource: '/names/{id}',
      params: { id: 'n1' },
      key: KEY,
    });
    expect(put.status).toBe(201);
    expect(acts.rename).toHaveBeenCalledTimes(1);
  });

  it('ignores the header on a route that takes no key (its answers are never stored)', async () => {
    const { handler, acts, records } = service();
    const login = { resource: '/login', key: KEY };
    expect((await send(handler, login)).body.token).toBe('t1');
    expect((await send(handler, login)).body.token).toBe('t2');
    expect(acts.login).toHaveBeenCalledTimes(2);
    expect(records.size).toBe(0);
    expect((await send(handler, { method: 'GET', key: '' })).status).toBe(204);
  });
});

describe('Idempotency-Key: malformed keys', () => {
  it.each([
    ['empty', '', 'must not be empty'],
    ['blank', '   ', 'must not be empty'],
    ['too long', 'k'.repeat(MAX_KEY_LENGTH + 1), `at most ${MAX_KEY_LENGTH} characters`],
    ['with a control character', 'abc\u0007def', 'printable ASCII'],
    ['with a newline', 'abc\ndef', 'printable ASCII'],
    ['not ASCII', 'clé-1', 'printable ASCII'],
    ['sent twice', ['k1', 'k2'], 'must be sent once'],
  ])('refuses a key %s with a 400 naming the header, without acting', async (_what, key, message) => {
    const { handler, acts, records } = service();
    const response = await send(handler, { key, body: BODY });
    expect(response).toMatchObject({
      status: 400,
      body: {
        error: 'ValidationError',
        fields: [{ field: 'headers.Idempotency-Key', message: expect.stringContaining(message) }],
      },
    });
    expect(acts.book).not.toHaveBeenCalled();
    expect(records.size).toBe(0);
  });

  it('accepts a key of exactly 255 printable characters, and the draft’s quoted form', async () => {
    const { handler } = service();
    expect((await send(handler, { key: `k${'~ '.repeat(126)}k`, body: BODY })).status).toBe(201);
    expect((await send(handler, { key: `"${KEY}"`, body: BODY })).status).toBe(201);
  });

  it('is refused at construction when a route takes a key and no store is given', () => {
    expect(() => httpHandler(routes, {} as never)).toThrow(/book, cancel, rename take an Idempotency-Key/);
  });
});

describe('Idempotency-Key: concurrent repeats', () => {
  it('acts once for five concurrent repeats, each getting the first answer', async () => {
    let release: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    const { handler, acts } = service({ beforeBooking: () => gate });
    const answers = Array.from({ length: 5 }, () => send(handler, { key: KEY, body: BODY }));
    await vi.waitFor(() => expect(acts.book).toHaveBeenCalledTimes(1));
    release();
    const settled = await Promise.all(answers);
    expect(acts.book).toHaveBeenCalledTimes(1);
    for (const answer of settled) expect(answer).toMatchObject({ status: 201, body: { id: 'b1', seats: 2 } });
    expect(settled.filter((a) => a.headers['idempotent-replayed'] === 'true')).toHaveLength(4);
  });

  it('answers a repeat with 409 and Retry-After, naming the header, when the first outlasts its wait', async () => {
    let release: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    const { handler, acts } = service({ beforeBooking: () => gate });
    const first = send(handler, { key: KEY, body: BODY });
    await vi.waitFor(() => expect(acts.book).toHaveBeenCalledTimes(1));
    // A function with a second left keeps it for itself: it cannot wait at all.
    const hurried = { ...lambdaContext, getRemainingTimeInMillis: () => 1_000 } as Context;
    const repeat = await send(handler, { key: KEY, body: BODY, context: hurried });
    expect(repeat).toMatchObject({
      status: 409,
      body: { error: 'IdempotencyKeyInUse', fields: [{ field: 'headers.Idempotency-Key' }] },
      headers: { 'retry-after': '1' },
    });
    release();
    expect((await first).status).toBe(201);
    expect((await send(handler, { key: KEY, body: BODY })).body.id).toBe('b1');
    expect(acts.book).toHaveBeenCalledTimes(1);
  });

  it('lets a waiting repeat act when the first fails meanwhile', async () => {
    let fail: () => void = () => undefined;
    const gate = new Promise<void>((_resolve, reject) => {
      fail = () => reject(new ConflictError('too few seats left'));
    });
    let calls = 0;
    const { handler, acts } = service({ beforeBooking: () => (++calls === 1 ? gate : Promise.resolve()) });
    const first = send(handler, { key: KEY, body: BODY });
    await vi.waitFor(() => expect(acts.book).toHaveBeenCalledTimes(1));
    const repeat = send(handler, { key: KEY, body: BODY });
    fail();
    expect((await first).status).toBe(409);
    expect(await repeat).toMatchObject({ status: 201, body: { id: 'b1' } });
    expect(acts.book).toHaveBeenCalledTimes(2);
  });
});

describe('Idempotency-Key: lifetime', () => {
  const request: KeyedRequest = { key: KEY, route: 'POST /bookings', caller: 'ann', fingerprint: 'f1' };
  const answer = (body: string) => async () => ({ statusCode: 201, headers: {}, body });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('forgets a key 24 hours after its answer: a repeat then acts again', async () => {
    const { store } = memoryIdempotencyStore();
    const actOnce = actOnceWith(store);
    vi.useFakeTimers({ now: Date.parse('2026-12-04T10:00:00Z'), toFake: ['Date'] });
    expect((await actOnce(request, lambdaContext, answer('first'))).body).toBe('first');
    vi.advanceTimersByTime((IDEMPOTENCY_WINDOW_SECONDS - 1) * 1000);
    expect((await actOnce(request, lambdaContext, answer('second'))).body).toBe('first');
    vi.advanceTimersByTime(2_000);
    expect((await actOnce(request, lambdaContext, answer('third'))).body).toBe('third');
  });

  it('takes over the key of a request whose function died (its lock lapsed at the timeout)', async () => {
    const { store, records } = memoryIdempotencyStore();
    const actOnce = actOnceWith(store);
    const dying = { ...lambdaContext, getRemainingTimeInMillis: () => 3_000 } as Context;
    vi.useFakeTimers({ now: Date.parse('2026-12-04T10:00:00Z'), toFake: ['Date'] });
    // The first request takes the key and its function dies before answering.
    void actOnce(request, dying, () => new Promise(() => undefined));
    await vi.waitFor(() => expect([...records.values()][0]?.getStatus()).toBe('INPROGRESS'));
    vi.advanceTimersByTime(3_001);
    expect((await actOnce(request, lambdaContext, answer('retried'))).body).toBe('retried');
    expect([...records.values()].map((record) => record.getStatus())).toEqual(['COMPLETED']);
  });
});
