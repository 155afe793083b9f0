import { readEnv } from '../shared/env.js';
import { ENV, rpcQueueEnv } from '../shared/env-names.js';
import { queueEnv, tableEnv } from '../shared/service.js';
import { bookingsService } from './service.js';

const SAGA_QUEUE_URL = queueEnv(bookingsService.name, 'saga');
const BOOKINGS_TABLE = tableEnv(bookingsService.name, 'bookings');
const CLOSED_ACCOUNTS_TABLE = tableEnv(bookingsService.name, 'closed-accounts');

/**
 * Read at cold start by the functions that move bookings through the saga
 * (HTTP, RPC, saga queue, reconciler): the tables (bookings, and the closed
 * accounts a booking's insert is conditional on), the saga queue, the movies
 * request queue (durable releases) and the log feed.
 */
export const sagaEnv = () =>
  readEnv({
    table: BOOKINGS_TABLE,
    closedAccountsTable: CLOSED_ACCOUNTS_TABLE,
    sagaQueueUrl: SAGA_QUEUE_URL,
    moviesQueueUrl: rpcQueueEnv('movies'),
    logFeedTopicArn: ENV.logFeedTopicArn,
    service: 'POWERTOOLS_SERVICE_NAME',
  });

/** Read at cold start by the bookings HTTP function, besides {@link sagaEnv}: the table counting each person's booking writes. */
export const rateLimitsEnv = () => readEnv({ table: tableEnv(bookingsService.name, 'rate-limits') });
