import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  ConflictError,
  DeadlineExceededError,
  NotFoundError,
  TooManyRequestsError,
  UnauthorizedError,
} from '../../../functions/shared/errors.js';
import { httpHandler } from '../../../functions/shared/http/middleware.js';
import { defineRoutes, Reply } from '../../../functions/shared/http/route.js';
import { apiEvent, lambdaContext } from '../../support/api-events.js';
import { memoryIdempotencyStore } from '../../support/memory-idempotency-store.js';

const routes = defineRoutes({
  create: {
    method: 'POST',
    path: '/things',
    summary: 'create',
    auth: 'none',
    status: 201,
    body: z.strictObject({ name: z.string().min(1), count: z.number().int().optional() }),
    maxBodyBytes: 64,
    response: z.object({ created: z.string(), count: z.number() }),
  },
  read: {
    method: 'GET',
    path: '/things/{id}',
    summary: 'read',
    auth: 'none',
    params: z.object({ id: z.string().min(1) }),
    query: z.object({
      fail: z.enum(['none', 'notfound', 'conflict', 'auth', 'timeout', 'crash']).default('none'),
    }),
    response: z.object({ id: z.string() }),
  },
  remove: { method: 'DELETE', path: '/things/{id}', summary: 'remove', auth: 'none' },
  upsert: {
    method: 'PUT',
    path: '/things/{id}',
    summary: 'upsert',
    auth: 'none',
    otherStatuses: [201],
    response: z.object({ created: z.boolean() }),
  },
});

const failures = {
  none: undefined,
  notfound: new NotFoundError('thing t1 not found'),
  conflict: new ConflictError('already there'),
  auth: new UnauthorizedError('token expired'),
  timeout: new DeadlineExceededError('users service did not answer'),
  crash: new Error('database password is hunter2'),
};

const handler = httpHandler(
  routes,
  {
    create: async ({ body }) => ({ created: body.name, count: body.count ?? 0 }),
    read: async ({ params, query }) => {
      const failure = failures[query.fail];
      if (failure) throw failure;
      return { id: params.id };
    },
    remove: async () => undefined,
    upsert: async () => new Reply(201, { created: true }),
  },
  { idempotency: memoryIdempotencyStore().store },
);

/** Sends bodies as JSON unless the event says otherwise, as clients of the API do. */
const call = async (event: Parameters<typeof apiEvent>[0]) => {
  const headers = { 'Content-Type': 'application/json', ...event?.headers };
  const response = await handler(apiEvent({ ...event, headers }), lambdaContext);
  return { status: response.statusCode, body: response.body ? JSON.parse(response.body) : undefined };
};

describe('HTTP middleware stack', () => {
  it('passes a valid body to the route and answers with its declared status', async () => {
    const response = await call({ httpMethod: 'POST', resource: '/things', body: '{"name":"a","count":2}' });
    expect(response).toEqual({ status: 201, body: { created: 'a', count: 2 } });
  });

  it('rejects malformed JSON with 400 naming the body', async () => {
    const response = await call({ httpMethod: 'POST', resource: '/things', body: '{"name":' });
    expect(response.status).toBe(400);
    expect(response.body.fields).toEqual([{ field: 'body', message: 'must be valid JSON' }]);
  });

  it('names every invalid and unknown field at once', async () => {
    const response = await call({ httpMethod: 'POST', resource: '/things', body: '{"name":"","extra":1}' });
    expect(response.status).toBe(400);
    expect(response.body.error).toBe('ValidationError');
    expect(response.body.fields.map((f: { field: string }) => f.field).sort()).toEqual([
      'body.extra',
      'body.name',
    ]);
  });

  it('says a missing body is required', async () => {
    const response = await call({ httpMethod: 'POST', resource: '/things', body: null });
    expect(response.status).toBe(400);
    expect(response.body.fields).toEqual([{ field: 'body', message: 'is required' }]);
  });

  it('rejects a body over the route limit with 413', async () => {
    const response = await call({
      httpMethod: 'POST',
      resource: '/things',
      body: JSON.stringify({ name: 'x'.repeat(100) }),
    });
    expect(response.status).toBe(413);
    expect(response.body.message).toContain('64 bytes');
  });

  it.each(['application/json', 'application/json; charset=utf-8', 'Application/JSON;charset=UTF-8'])(
    'reads a JSON body sent as %s',
    async (contentType) => {
      const response = await call({
        httpMethod: 'POST',
        resource: '/things',
        headers: { 'cOnTeNt-TyPe': contentType },
        body: '{"name":"a"}',
      });
      expect(response).toEqual({ status: 201, body: { created: 'a', count: 0 } });
    },
  );

  it.each([
    ['text/plain', { 'content-type': 'text/plain' }],
    ['application/octet-stream', { 'Content-Type': 'application/octet-stream' }],
    ['application/jsonp', { 'content-type': 'application/jsonp' }],
    ['no content type', {}],
  ])('refuses a body sent as %s with 415 in the JSON error shape', async (_, headers) => {
    const response = await handler(
      apiEvent({ httpMethod: 'POST', resource: '/things', headers, body: '{"name":"a"}' }),
      lambdaContext,
    );
    expect(response.statusCode).toBe(415);
    expect(response.headers?.['content-type']).toContain('application/json');
    expect(JSON.parse(response.body)).toMatchObject({ error: 'UnsupportedMediaType', requestId: 'req-1' });
  });

  it('decodes base64 bodies', async () => {
    const body = Buffer.from('{"name":"b"}').toString('base64');
    const response = await call({ httpMethod: 'POST', resource: '/things', body, isBase64Encoded: true });
    expect(response).toEqual({ status: 201, body: { created: 'b', count: 0 } });
  });

  it('validates query values against the route schema', async () => {
    const response = await call({
      resource: '/things/{id}',
      pathParameters: { id: 't1' },
      queryStringParameters: { fail: 'nope' },
    });
    expect(response.status).toBe(400);
    expect(response.body.fields[0].field).toBe('query.fail');
  });

  it.each([
    ['notfound', 404, 'NotFound'],
    ['conflict', 409, 'Conflict'],
    ['auth', 401, 'Unauthorized'],
    ['timeout', 504, 'Timeout'],
  ] as const)('maps a thrown %s error to %i', async (fail, status, code) => {
    const response = await call({
      resource: '/things/{id}',
      pathParameters: { id: 't1' },
      queryStringParameters: { fail },
    });
    expect(response.status).toBe(status);
    expect(response.body).toMatchObject({ error: code, message: failures[fail].message, requestId: 'req-1' });
  });

  it('hides the details of unexpected errors behind a generic 500', async () => {
    const response = await call({
      resource: '/things/{id}',
      pathParameters: { id: 't1' },
      queryStringParameters: { fail: 'crash' },
    });
    expect(response.status).toBe(500);
    expect(response.body).toEqual({
      error: 'InternalError',
      message: 'Internal server error',
      requestId: 'req-1',
      traceId: expect.stringMatching(/^[0-9a-f]{32}$/),
    });
  });

  it('answers 204 with no body when a route returns nothing', async () => {
    const response = await handler(
      apiEvent({ httpMethod: 'DELETE', resource: '/things/{id}' }),
      lambdaContext,
    );
    expect(response).toMatchObject({ statusCode: 204, body: '' });
  });

  it('lets a route choose its status with a Reply', async () => {
    expect(await call({ httpMethod: 'PUT', resource: '/things/{id}' })).toEqual({
      status: 201,
      body: { created: true },
    });
  });

  it('treats a route the function does not declare as a server error', async () => {
    const response = await call({ httpMethod: 'PATCH', resource: '/elsewhere' });
    expect(response.status).toBe(500);
  });
});

describe('route handler types', () => {
  it('make a handler returning something its response schema does not describe fail the type check', () => {
    const typed = defineRoutes({
      read: {
        method: 'GET',
        path: '/typed',
        summary: 'typed',
        auth: 'none',
        response: z.object({ id: z.string() }),
      },
    });
    const good = httpHandler(typed, { read: async () => ({ id: 'a' }) });
    // @ts-expect-error `npm run typecheck` refuses a body of the wrong shape
    const wrongBody = httpHandler(typed, { read: async () => ({ id: 1 }) });
    // @ts-expect-error ... and a Reply around one
    const wrongReply = httpHandler(typed, { read: async () => new Reply(201, { name: 'a' }) });
    expect([good, wrongBody, wrongReply].every((h) => typeof h === 'function')).toBe(true);
  });
});

describe('cookies and retry hints', () => {
  const session = defineRoutes({
    refresh: {
      method: 'POST',
      path: '/session',
      summary: 'refresh',
      auth: 'none',
      cookies: z.object({ session: z.string().max(16).optional() }),
      response: z.object({ seen: z.string() }),
      errors: [429],
      idempotencyKey: false,
    },
  });
  const sessionHandler = httpHandler(session, {
    refresh: async ({ cookies }) => {
      if (cookies.session === 'busy') throw new TooManyRequestsError('slow down', 42);
      return new Reply(200, { seen: cookies.session ?? 'none' }, undefined, {}, [
        'a=1; HttpOnly',
        'b=2; HttpOnly',
      ]);
    },
  });
  const post = (cookie?: string) =>
    sessionHandler(
      apiEvent({ httpMethod: 'POST', resource: '/session', headers: cookie ? { Cookie: cookie } : {} }),
      lambdaContext,
    );

  it('reads the declared cookies from the Cookie header, and sets every cookie the reply names', async () => {
    const response = await post('other=x; session=abc:d.e=f; session=second');
    expect(JSON.parse(response.body)).toEqual({ seen: 'abc:d.e=f' });
    expect(response.multiValueHeaders).toEqual({ 'set-cookie': ['a=1; HttpOnly', 'b=2; HttpOnly'] });
    expect(JSON.parse((await post()).body)).toEqual({ seen: 'none' });
  });

  it('refuses a cookie its schema refuses, naming it', async () => {
    const response = await post('session=much-too-long-for-it');
    expect(response.statusCode).toBe(400);
    expect(JSON.parse(response.body).fields[0].field).toBe('cookies.session');
  });

  it('answers TooManyRequestsError with 429 and Retry-After in seconds', async () => {
    const response = await post('session=busy');
    expect(response.statusCode).toBe(429);
    expect(response.headers?.['retry-after']).toBe('42');
    expect(JSON.parse(response.body)).toMatchObject({ error: 'TooManyRequests', message: 'slow down' });
  });
});
