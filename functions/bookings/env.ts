import { readEnv } from '../shared/env.js';
import { ENV, rpcQueueEnv } from '../shared/env-names.js';
import { queueEnv, tableEnv } from '../shared/service.js';
import { bookingsService } from './service.js';

const SAGA_QUEUE_URL = queueEnv(bookingsService.name, 'saga');
const BOOKINGS_TABLE = tableEnv(bookingsService.name, 'bookings');

/**
 * Read at cold start by the functions that move bookings through the saga
 * (HTTP, RPC, saga queue, reconciler): the table, the saga queue, the movies
 * request queue (durable releases) and the log feed.
 */
export const sagaEnv = () =>
  readEnv({
    table: BOOKINGS_TABLE,
    sagaQueueUrl: SAGA_QUEUE_URL,
    moviesQueueUrl: rpcQueueEnv('movies'),
    logFeedTopicArn: ENV.logFeedTopicArn,
    service: 'POWERTOOLS_SERVICE_NAME',
  });

/** Read at cold start by the bookings HTTP function, besides {@link sagaEnv}: the table counting each person's booking writes. */
export const rateLimitsEnv = () => readEnv({ table: tableEnv(bookingsService.name, 'rate-limits') });
