import type { APIGatewayProxyEvent } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { SERVICES } from '../../../functions/services.js';
import { UnauthorizedError } from '../../../functions/shared/errors.js';
import { httpHandler } from '../../../functions/shared/http/middleware.js';
import type { AuthMode, RouteHandlers, RouteTable } from '../../../functions/shared/http/route.js';
import { apiEvent, lambdaContext } from '../../support/api-events.js';
import { memoryIdempotencyStore } from '../../support/memory-idempotency-store.js';

/**
 * Who may call each route: the rules of the identity issue, written out once
 * more on purpose. A route added to a table without a decision here fails.
 */
const ACCESS: Record<string, AuthMode> = {
  'GET /downcase': 'none',
  'GET /search': 'none',
  'GET /search/monitor': 'none',
  'GET /search/health': 'none',
  'POST /things': 'admin',
  'GET /things/{id}/geometry': 'none',
  'DELETE /things/{id}': 'admin',
  'POST /auth/signup': 'none',
  'POST /auth/login': 'none',
  'POST /auth/refresh': 'none',
  'POST /auth/logout': 'none',
  'GET /tasks/health': 'none',
  'GET /tasks': 'user',
  'POST /tasks': 'user',
  'GET /tasks/{id}': 'user',
  'PATCH /tasks/{id}': 'user',
  'PUT /tasks/{id}': 'user',
  'DELETE /tasks/{id}': 'user',
  'GET /users/me': 'user',
  'PUT /users/me': 'user',
  'DELETE /users/me': 'user',
  'GET /users': 'admin',
  'GET /status': 'admin',
  'GET /traces/{id}': 'admin',
  'GET /users/{id}': 'admin',
  'DELETE /users/{id}': 'admin',
  'GET /users/{id}/bookings': 'admin',
  'GET /movies': 'none',
  'GET /movies/{id}': 'none',
  'POST /movies': 'admin',
  'PUT /movies/{id}': 'admin',
  'DELETE /movies/{id}': 'admin',
  'POST /movies/{id}/showtimes': 'admin',
  'DELETE /movies/{id}/showtimes/{showtimeId}': 'admin',
  'GET /bookings/all': 'admin',
  'GET /things': 'admin',
  'POST /bookings': 'user',
  'GET /bookings': 'user',
  'GET /bookings/{id}': 'user',
  'DELETE /bookings/{id}': 'user',
  'GET /openapi.json': 'none',
  'GET /docs': 'none',
  'GET /docs/{asset}': 'none',
  'GET /console': 'none',
  'GET /console/{asset}': 'none',
  'GET /bench/noop': 'none',
  'GET /bench/noop/signed-in': 'user',
  'GET /bench/noop/metrics': 'none',
  'GET /bench/noop/trace': 'none',
  'GET /health': 'optional',
};

// Every declared service's routes, the bench's included.
const tables: RouteTable[] = SERVICES.map((s) => s.routes ?? {}).filter((t) => Object.keys(t).length > 0);
const routes = tables.flatMap((table) => Object.values(table));

type Caller = 'anonymous' | 'user' | 'admin';
/** The status a caller gets before any handler runs; `undefined`: they get through to the handler. */
const EXPECTED: Record<AuthMode, Record<Caller, number | undefined>> = {
  none: { anonymous: undefined, user: undefined, admin: undefined },
  optional: { anonymous: undefined, user: undefined, admin: undefined },
  user: { anonymous: 401, user: undefined, admin: undefined },
  admin: { anonymous: 401, user: 403, admin: undefined },
};

/** What the token authorizer hands the function for each caller (nothing for the anonymous). */
const authorizerContext: Record<Caller, Record<string, string> | undefined> = {
  anonymous: undefined,
  user: { userId: 'u-1', role: 'user' },
  admin: { userId: 'a-1', role: 'admin' },
};

describe('authorization rules', () => {
  it('every route declares exactly the access the rules give it', () => {
    const declared = Object.fromEntries(routes.map((r) => [`${r.method} ${r.path}`, r.auth]));
    expect(declared).toEqual(ACCESS);
  });

  describe.each(tables.map((table) => [Object.values(table)[0]?.path ?? '', table] as const))(
    'routes of %s',
    (_first, table) => {
      // Handlers that answer 200 if reached, so only authorization decides the status.
      const handlers = Object.fromEntries(
        Object.keys(table).map((name) => [name, async () => ({ reached: true })]),
      ) as unknown as RouteHandlers<typeof table>;
      // Optional tokens are verified by the function itself: here, the token names the caller.
      const identify = async (authorization: string) => {
        const context = authorizerContext[authorization.replace('Bearer ', '') as Caller];
        if (!context) throw new UnauthorizedError('unknown token');
        return { userId: context.userId as string, role: context.role as 'user' | 'admin' };
      };
      const handler = httpHandler(table, handlers, {
        identify,
        idempotency: memoryIdempotencyStore().store,
      });

      for (const route of Object.values(table)) {
        it.each(['anonymous', 'user', 'admin'] as const)(
          `${route.method} ${route.path} as %s`,
          async (caller) => {
            const event = apiEvent({
              httpMethod: route.method,
              resource: route.path,
              path: route.path,
              headers: caller === 'anonymous' ? {} : { authorization: `Bearer ${caller}` },
              requestContext: {
                requestId: 'req-1',
                authorizer: authorizerContext[caller],
              } as unknown as APIGatewayProxyEvent['requestContext'],
            });
            const { statusCode } = await handler(event, lambdaContext);
            const expected = EXPECTED[route.auth][caller];
            if (expected) expect(statusCode).toBe(expected);
            else expect([401, 403]).not.toContain(statusCode);
          },
        );
      }
    },
  );
});
