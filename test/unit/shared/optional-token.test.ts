import { describe, expect, it } from 'vitest';
import * as z from 'zod/mini';
import type { Caller } from '../../../functions/shared/caller.js';
import { UnauthorizedError } from '../../../functions/shared/errors.js';
import { httpHandler } from '../../../functions/shared/http/middleware.js';
import { defineRoutes } from '../../../functions/shared/http/route.js';
import { apiEvent, lambdaContext } from '../../support/api-events.js';

const routes = defineRoutes({
  whoami: {
    method: 'GET',
    path: '/whoami',
    summary: 'Who is calling',
    auth: 'optional',
    response: z.object({
      requestId: z.string(),
      caller: z.nullable(z.object({ userId: z.string(), role: z.enum(['user', 'admin']) })),
    }),
  },
});

/** Stands in for the pool: `Bearer ann` is a user, `Bearer root` an admin, anything else invalid. */
const PEOPLE: Record<string, Caller> = {
  'Bearer ann': { userId: 'ann', role: 'user' },
  'Bearer root': { userId: 'root', role: 'admin' },
};
const identify = async (authorization: string): Promise<Caller> => {
  const caller = PEOPLE[authorization];
  if (!caller) throw new UnauthorizedError('invalid token');
  return caller;
};

const handler = httpHandler(
  routes,
  {
    whoami: async ({ context }) => {
      const { requestId, caller } = context;
      return { requestId, caller: caller ?? null };
    },
  },
  { identify },
);

async function call(authorization?: string) {
  const response = await handler(
    apiEvent({
      resource: '/whoami',
      path: '/whoami',
      headers: authorization === undefined ? {} : { Authorization: authorization },
    }),
    lambdaContext,
  );
  return { status: response.statusCode, body: JSON.parse(response.body || 'null') };
}

describe("a route whose token is optional (auth: 'optional')", () => {
  it('serves a caller without a token as anonymous', async () => {
    expect(await call()).toEqual({ status: 200, body: { requestId: 'req-1', caller: null } });
  });

  it('hands the handler the verified caller and their role', async () => {
    expect((await call('Bearer ann')).body.caller).toEqual({ userId: 'ann', role: 'user' });
    expect((await call('Bearer root')).body.caller).toEqual({ userId: 'root', role: 'admin' });
  });

  it('answers 401 to a token that is not valid, rather than serving it as anonymous', async () => {
    const { status, body } = await call('Bearer forged');
    expect(status).toBe(401);
    expect(body.error).toBe('Unauthorized');
  });

  it('cannot be built without a way to verify tokens', () => {
    expect(() => httpHandler(routes, { whoami: async () => ({ requestId: 'x', caller: null }) })).toThrow(
      /whoami.*optional token/,
    );
  });
});
