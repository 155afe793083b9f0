/**
 * The booking service as every bookings function runs it (HTTP, the saga
 * queue, the reconciler): its store, the users and movies services over
 * RPC, the saga queue and the log feed, from the env read at cold start.
 */
import { ulid } from 'ulid';
import { moviesContract } from '../movies/contract.js';
import { readEnv } from '../shared/env.js';
import { ENV, rpcQueueEnv } from '../shared/env-names.js';
import { faultCheckpoint } from '../shared/faults.js';
import { snsFeedPublisher } from '../shared/log-feed/sns-publisher.js';
import { logger } from '../shared/logger.js';
import { lambdaRpcClients } from '../shared/rpc/lambda.js';
import { queueEnv, readTables } from '../shared/service.js';
import { usersContract } from '../users/contract.js';
import { bookingService } from './domain/bookings.js';
import { dynamoBookingStore } from './dynamo-store.js';
import { durableRelease, sqsSagaTimer } from './saga-queue.js';
import { bookingsService } from './service.js';
import { PENDING_GRACE_SECONDS, RESEND_AFTER_SECONDS } from './timing.js';

const SAGA_QUEUE_URL = queueEnv(bookingsService.name, 'saga');

const env = readEnv([ENV.logFeedTopicArn, rpcQueueEnv('movies'), 'POWERTOOLS_SERVICE_NAME']);
/** The URL of the saga queue (delayed checks, and movies' replies to durable releases). */
const sagaQueueUrl = readEnv([SAGA_QUEUE_URL])[SAGA_QUEUE_URL] as string;
const clients = lambdaRpcClients('bookings', { users: usersContract, movies: moviesContract });
const store = dynamoBookingStore(readTables(bookingsService).bookings);
const timer = sqsSagaTimer(sagaQueueUrl);
const checkpoint = faultCheckpoint();

/** The booking service for one request (or one saga message): its RPC calls carry `requestId`. */
export const bookingsFor = (requestId: string) => {
  const { users, movies } = clients(requestId);
  return bookingService({
    store,
    users: { get: (id) => users.get({ id }) },
    seats: {
      reserve: async (hold) => void (await movies.reserveSeats(hold)),
      release: async (hold) => void (await movies.releaseSeats(hold)),
      releaseLater: durableRelease(env.RPC_MOVIES_QUEUE_URL, sagaQueueUrl, requestId),
    },
    timer,
    feed: snsFeedPublisher(env.LOG_FEED_TOPIC_ARN, env.POWERTOOLS_SERVICE_NAME, requestId),
    newId: ulid,
    now: () => new Date(),
    log: logger,
    pendingGraceMs: PENDING_GRACE_SECONDS * 1000,
    resendAfterMs: RESEND_AFTER_SECONDS * 1000,
    ...(checkpoint ? { checkpoint } : {}),
  });
};
