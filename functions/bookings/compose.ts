/**
 * The booking service as every bookings function runs it (HTTP, the saga
 * queue, the reconciler, RPC): its store, the movies service over RPC, the
 * saga queue and the log feed, from the env read at cold start.
 */
import { ulid } from 'ulid';
import { moviesContract } from '../movies/contract.js';
import { faultCheckpoint } from '../shared/faults.js';
import { snsFeedPublisher } from '../shared/log-feed/sns-publisher.js';
import { logger } from '../shared/logger.js';
import { lambdaRpcClients } from '../shared/rpc/lambda.js';
import { bookingService } from './domain/bookings.js';
import { dynamoBookingStore } from './dynamo-store.js';
import { sagaEnv } from './env.js';
import { sagaMetrics } from './saga-metrics.js';
import { durableRelease, sqsSagaTimer } from './saga-queue.js';
import { seatsOverRpc } from './seats-over-rpc.js';
import { CLOSED_FOR_HOURS, PENDING_GRACE_SECONDS, RESEND_AFTER_SECONDS } from './timing.js';

const env = sagaEnv();
const clients = lambdaRpcClients('bookings', { movies: moviesContract });
/** The bookings store of this function, shared by every request it serves. */
export const store = dynamoBookingStore(env.table, env.closedAccountsTable);
const timer = sqsSagaTimer(env.sagaQueueUrl);
const checkpoint = faultCheckpoint();

/**
 * The booking service for one request (or one saga message): its RPC calls
 * carry `requestId`, and wait at most `timeoutMs` each (an RPC server passes
 * what its caller's deadline leaves).
 */
export const bookingsFor = (requestId: string, timeoutMs?: number) => {
  const { movies } = clients(requestId, timeoutMs);
  return bookingService({
    store,
    seats: seatsOverRpc(movies, durableRelease(env.moviesQueueUrl, env.sagaQueueUrl, requestId)),
    timer,
    feed: snsFeedPublisher(env.logFeedTopicArn, env.service, requestId),
    events: sagaMetrics,
    newId: ulid,
    now: () => new Date(),
    log: logger,
    pendingGraceMs: PENDING_GRACE_SECONDS * 1000,
    resendAfterMs: RESEND_AFTER_SECONDS * 1000,
    closedForMs: CLOSED_FOR_HOURS * 3_600_000,
    ...(checkpoint ? { checkpoint } : {}),
  });
};
