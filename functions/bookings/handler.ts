import type { Context, ScheduledEvent, SQSEvent } from 'aws-lambda';
import { ulid } from 'ulid';
import { moviesContract } from '../movies/contract.js';
import { readEnv } from '../shared/env.js';
import { ENV, rpcQueueEnv } from '../shared/env-names.js';
import { httpHandler } from '../shared/http/middleware.js';
import { Reply } from '../shared/http/route.js';
import { snsFeedPublisher } from '../shared/log-feed/sns-publisher.js';
import { logger } from '../shared/logger.js';
import { timeoutWithin } from '../shared/rpc/client.js';
import { httpAndRpcHandler, isSqsEvent, lambdaRpcClients, lambdaRpcServer } from '../shared/rpc/lambda.js';
import { readTables } from '../shared/service.js';
import { usersContract } from '../users/contract.js';
import { bookingsContract } from './contract.js';
import { bookingService, type SagaPoint } from './domain/bookings.js';
import { dynamoBookingStore } from './dynamo-store.js';
import { bookingRoutes } from './routes.js';
import { durableRelease, sagaQueueConsumer, sqsSagaTimer } from './saga-queue.js';
import { bookingsService } from './service.js';
import { PENDING_GRACE_SECONDS, RESEND_AFTER_SECONDS } from './timing.js';

const env = readEnv([
  ENV.bookingSagaQueueUrl,
  ENV.logFeedTopicArn,
  rpcQueueEnv('movies'),
  'POWERTOOLS_SERVICE_NAME',
]);
const clients = lambdaRpcClients('bookings', { users: usersContract, movies: moviesContract });
const store = dynamoBookingStore(readTables(bookingsService).bookings);
const timer = sqsSagaTimer(env.BOOKING_SAGA_QUEUE_URL);
// Test-only: the e2e tests set this on the deployed function to stop a saga between two writes.
const fault = process.env[ENV.faultInjection];

/** The booking service of one request; its calls to other services end within `timeoutMs`. */
const bookingsFor = (requestId: string, timeoutMs?: number) => {
  const { users, movies } = clients(requestId, timeoutMs);
  return bookingService({
    store,
    users: { get: (id) => users.get({ id }) },
    seats: {
      reserve: async (hold) => void (await movies.reserveSeats(hold)),
      release: async (hold) => void (await movies.releaseSeats(hold)),
      releaseLater: durableRelease(env.RPC_MOVIES_QUEUE_URL, env.BOOKING_SAGA_QUEUE_URL, requestId),
    },
    timer,
    feed: snsFeedPublisher(env.LOG_FEED_TOPIC_ARN, env.POWERTOOLS_SERVICE_NAME, requestId),
    newId: ulid,
    now: () => new Date(),
    log: logger,
    pendingGraceMs: PENDING_GRACE_SECONDS * 1000,
    resendAfterMs: RESEND_AFTER_SECONDS * 1000,
    checkpoint: (point: SagaPoint) => {
      if (fault === `crash-${point}`) throw new Error(`fault injected: crash ${point}`);
    },
  });
};

const http = httpHandler(bookingRoutes, {
  create: ({ body, context }) => bookingsFor(context.requestId).create({ ...body, userId: context.userId }),
  list: ({ query, context }) => bookingsFor(context.requestId).list(context, query.limit, query.cursor),
  get: ({ params, context }) => bookingsFor(context.requestId).get(params.id, context),
  remove: async ({ params, context }) => {
    const { booking, settled } = await bookingsFor(context.requestId).cancel(params.id, context);
    return settled ? new Reply(204) : new Reply(202, booking);
  },
});

const rpc = lambdaRpcServer(bookingsContract, {
  listForUser: ({ userId }, { requestId, deadline }) =>
    bookingsFor(requestId, timeoutWithin(deadline)).listForUser(userId),
  countForUser: ({ userId }, { requestId, deadline }) =>
    bookingsFor(requestId, timeoutWithin(deadline)).countForUser(userId),
});

const saga = sagaQueueConsumer(env.BOOKING_SAGA_QUEUE_URL, bookingsFor);

const isSchedule = (event: unknown): event is ScheduledEvent =>
  (event as { source?: string } | null)?.source === 'aws.events';

const service = httpAndRpcHandler(http, (event: SQSEvent) =>
  saga.isFor(event) ? saga.handle(event) : rpc(event),
);

/**
 * The bookings service: its HTTP routes, its RPC methods for the users
 * service, the booking saga's queue, and the scheduled reconciler (also
 * invocable directly with `{"reconcile": true}`).
 */
export const handler = async (event: unknown, context: Context) => {
  if (!isSqsEvent(event) && (isSchedule(event) || (event as { reconcile?: boolean } | null)?.reconcile)) {
    const result = await bookingsFor(context.awsRequestId).reconcile();
    logger.info('reconciled bookings', { repaired: result.repaired.length });
    return result;
  }
  return service(event as Parameters<typeof service>[0], context);
};
