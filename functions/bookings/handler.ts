import { ulid } from 'ulid';
import { z } from 'zod';
import { readEnv } from '../shared/env.js';
import { ENV } from '../shared/env-names.js';
import { httpHandler } from '../shared/http/middleware.js';
import { httpAndRpcHandler, lambdaRpcClient, RPC_TIMEOUT_MS } from '../shared/rpc/lambda.js';
import { rpcMethod, rpcServer } from '../shared/rpc/server.js';
import { sqsTransport } from '../shared/rpc/sqs-transport.js';
import { bookingService } from './domain/bookings.js';
import { dynamoBookingStore } from './dynamo-store.js';
import { bookingRoutes } from './routes.js';

const env = readEnv([ENV.bookingsTable]);
const rpc = lambdaRpcClient('bookings', ['users', 'movies']);
const store = dynamoBookingStore(env.BOOKINGS_TABLE);

const bookingsFor = (requestId: string) => {
  const options = { timeoutMs: RPC_TIMEOUT_MS, requestId };
  return bookingService({
    store,
    users: { get: (userId) => rpc.call('users', 'get', { id: userId }, options) },
    seats: {
      reserve: async (movieId, showtimeId, seats) => {
        await rpc.call('movies', 'reserveSeats', { movieId, showtimeId, seats }, options);
      },
      release: async (movieId, showtimeId, seats) => {
        await rpc.call('movies', 'releaseSeats', { movieId, showtimeId, seats }, options);
      },
    },
    newId: ulid,
    now: () => new Date(),
  });
};

const http = httpHandler(bookingRoutes, {
  create: ({ body, context }) => bookingsFor(context.requestId).create({ ...body, userId: context.userId }),
  list: ({ query, context }) => bookingsFor(context.requestId).list(context, query.limit, query.cursor),
  get: ({ params, context }) => bookingsFor(context.requestId).get(params.id, context),
  remove: ({ params, context }) => bookingsFor(context.requestId).remove(params.id, context),
});

const byUser = z.object({ userId: z.string() });
const server = rpcServer(
  'bookings',
  {
    listForUser: rpcMethod({ input: byUser, handle: ({ userId }) => store.listForUser(userId) }),
    countForUser: rpcMethod({ input: byUser, handle: ({ userId }) => store.countForUser(userId) }),
  },
  { transport: sqsTransport },
);

/** The bookings service: its HTTP routes, and the users service's questions about bookings over RPC. */
export const handler = httpAndRpcHandler(http, server);
