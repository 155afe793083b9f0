import { cognitoDirectory } from '../auth/cognito-directory.js';
import { bookingsContract } from '../bookings/contract.js';
import { readEnv } from '../shared/env.js';
import { ENV } from '../shared/env-names.js';
import { httpHandler } from '../shared/http/middleware.js';
import { timeoutWithin } from '../shared/rpc/client.js';
import { httpAndRpcHandler, lambdaRpcClients, lambdaRpcServer } from '../shared/rpc/lambda.js';
import { readTables } from '../shared/service.js';
import { usersContract } from './contract.js';
import { userService } from './domain/users.js';
import { dynamoUserStore } from './dynamo-store.js';
import { userRoutes } from './routes.js';
import { usersService } from './service.js';

const env = readEnv([ENV.userPoolId]);
const tables = readTables(usersService);
const clients = lambdaRpcClients('users', { bookings: bookingsContract });
const store = dynamoUserStore(tables.users);
const directory = cognitoDirectory(env.USER_POOL_ID);

/** The user service of one request; its calls to other services end within `timeoutMs`. */
const usersFor = (requestId: string, timeoutMs?: number) => {
  const { bookings } = clients(requestId, timeoutMs);
  return userService({
    store,
    bookings: {
      listForUser: (userId) => bookings.listForUser({ userId }),
      countForUser: (userId) => bookings.countForUser({ userId }),
    },
    accounts: { remove: directory.deleteUser },
    now: () => new Date(),
  });
};

const http = httpHandler(userRoutes, {
  me: ({ context }) => usersFor(context.requestId).get(context.userId),
  rename: ({ body, context }) => usersFor(context.requestId).rename(context.userId, body.name),
  leave: ({ context }) => usersFor(context.requestId).remove(context.userId),
  list: ({ query, context }) => usersFor(context.requestId).list(query.limit, query.cursor),
  get: ({ params, context }) => usersFor(context.requestId).get(params.id),
  remove: ({ params, context }) => usersFor(context.requestId).remove(params.id),
  bookings: ({ params, context }) => usersFor(context.requestId).bookingsOf(params.id),
});

const server = lambdaRpcServer(usersContract, {
  get: ({ id }, { requestId, deadline }) => usersFor(requestId, timeoutWithin(deadline)).get(id),
  ensureProfile: (profile, { requestId, deadline }) =>
    usersFor(requestId, timeoutWithin(deadline)).ensureProfile(profile),
});

/** The users service: its HTTP routes, and its RPC methods for other services. */
export const handler = httpAndRpcHandler(http, server);
