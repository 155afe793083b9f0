import { ulid } from 'ulid';
import { z } from 'zod';
import type { Booking } from '../bookings/domain/bookings.js';
import { readEnv } from '../shared/env.js';
import { ENV } from '../shared/env-names.js';
import { httpHandler } from '../shared/http/middleware.js';
import { httpAndRpcHandler, lambdaRpcClient, RPC_TIMEOUT_MS } from '../shared/rpc/lambda.js';
import { rpcMethod, rpcServer } from '../shared/rpc/server.js';
import { sqsTransport } from '../shared/rpc/sqs-transport.js';
import { userService } from './domain/users.js';
import { dynamoUserStore } from './dynamo-store.js';
import { userRoutes } from './routes.js';

const env = readEnv([ENV.usersTable]);
const rpc = lambdaRpcClient('users', ['bookings']);
const store = dynamoUserStore(env.USERS_TABLE);

const usersFor = (requestId: string) =>
  userService({
    store,
    bookings: {
      listForUser: (userId) =>
        rpc.call<Booking[]>('bookings', 'listForUser', { userId }, { timeoutMs: RPC_TIMEOUT_MS, requestId }),
      countForUser: (userId) =>
        rpc.call<number>('bookings', 'countForUser', { userId }, { timeoutMs: RPC_TIMEOUT_MS, requestId }),
    },
    newId: ulid,
    now: () => new Date(),
  });

const http = httpHandler(userRoutes, {
  create: ({ body, context }) => usersFor(context.requestId).create(body),
  list: async ({ query, context }) => usersFor(context.requestId).list(query.limit, query.cursor),
  get: ({ params, context }) => usersFor(context.requestId).get(params.id),
  replace: ({ params, body, context }) => usersFor(context.requestId).replace(params.id, body),
  remove: ({ params, context }) => usersFor(context.requestId).remove(params.id),
  bookings: ({ params, context }) => usersFor(context.requestId).bookingsOf(params.id),
});

const server = rpcServer(
  'users',
  {
    get: rpcMethod({
      input: z.object({ id: z.string() }),
      handle: ({ id }, { requestId }) => usersFor(requestId).get(id),
    }),
  },
  { transport: sqsTransport },
);

/** The users service: its HTTP routes, and its RPC methods for other services. */
export const handler = httpAndRpcHandler(http, server);
