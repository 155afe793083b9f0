import { ulid } from 'ulid';
import { bookingsContract } from '../bookings/contract.js';
import { readEnv } from '../shared/env.js';
import { ENV } from '../shared/env-names.js';
import { httpHandler } from '../shared/http/middleware.js';
import { httpAndRpcHandler, lambdaRpcClients, lambdaRpcServer } from '../shared/rpc/lambda.js';
import { usersContract } from './contract.js';
import { userService } from './domain/users.js';
import { dynamoUserStore } from './dynamo-store.js';
import { userRoutes } from './routes.js';

const env = readEnv([ENV.usersTable]);
const clients = lambdaRpcClients('users', { bookings: bookingsContract });
const store = dynamoUserStore(env.USERS_TABLE);

const usersFor = (requestId: string) => {
  const { bookings } = clients(requestId);
  return userService({
    store,
    bookings: {
      listForUser: (userId) => bookings.listForUser({ userId }),
      countForUser: (userId) => bookings.countForUser({ userId }),
    },
    newId: ulid,
    now: () => new Date(),
  });
};

const http = httpHandler(userRoutes, {
  create: ({ body, context }) => usersFor(context.requestId).create(body),
  list: async ({ query, context }) => usersFor(context.requestId).list(query.limit, query.cursor),
  get: ({ params, context }) => usersFor(context.requestId).get(params.id),
  replace: ({ params, body, context }) => usersFor(context.requestId).replace(params.id, body),
  remove: ({ params, context }) => usersFor(context.requestId).remove(params.id),
  bookings: ({ params, context }) => usersFor(context.requestId).bookingsOf(params.id),
});

const server = lambdaRpcServer(usersContract, {
  get: ({ id }, { requestId }) => usersFor(requestId).get(id),
});

/** The users service: its HTTP routes, and its RPC methods for other services. */
export const handler = httpAndRpcHandler(http, server);
