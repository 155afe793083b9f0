import { z } from 'zod';
import { cognitoDirectory } from '../auth/cognito-directory.js';
import type { Booking } from '../bookings/domain/bookings.js';
import { readEnv } from '../shared/env.js';
import { ENV } from '../shared/env-names.js';
import { httpHandler } from '../shared/http/middleware.js';
import { httpAndRpcHandler, lambdaRpcClient, RPC_TIMEOUT_MS } from '../shared/rpc/lambda.js';
import { rpcMethod, rpcServer } from '../shared/rpc/server.js';
import { sqsTransport } from '../shared/rpc/sqs-transport.js';
import { userService } from './domain/users.js';
import { dynamoUserStore } from './dynamo-store.js';
import { USER_ID, userRoutes } from './routes.js';

const env = readEnv([ENV.usersTable, ENV.userPoolId]);
const rpc = lambdaRpcClient('users', ['bookings']);
const store = dynamoUserStore(env.USERS_TABLE);
const directory = cognitoDirectory(env.USER_POOL_ID);

const usersFor = (requestId: string) =>
  userService({
    store,
    bookings: {
      listForUser: (userId) =>
        rpc.call<Booking[]>('bookings', 'listForUser', { userId }, { timeoutMs: RPC_TIMEOUT_MS, requestId }),
      countForUser: (userId) =>
        rpc.call<number>('bookings', 'countForUser', { userId }, { timeoutMs: RPC_TIMEOUT_MS, requestId }),
    },
    accounts: { remove: directory.deleteUser },
    now: () => new Date(),
  });

const http = httpHandler(userRoutes, {
  me: ({ context }) => usersFor(context.requestId).get(context.userId),
  rename: ({ body, context }) => usersFor(context.requestId).rename(context.userId, body.name),
  leave: ({ context }) => usersFor(context.requestId).remove(context.userId),
  list: ({ query, context }) => usersFor(context.requestId).list(query.limit, query.cursor),
  get: ({ params, context }) => usersFor(context.requestId).get(params.id),
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
    ensureProfile: rpcMethod({
      input: z.object({ id: z.string().regex(USER_ID), email: z.string().min(3), name: z.string().min(1) }),
      handle: (profile, { requestId }) => usersFor(requestId).ensureProfile(profile),
    }),
  },
  { transport: sqsTransport },
);

/** The users service: its HTTP routes, and its RPC methods for other services. */
export const handler = httpAndRpcHandler(http, server);
