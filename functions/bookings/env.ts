import { readEnv } from '../shared/env.js';
import { ENV, rpcQueueEnv } from '../shared/env-names.js';
import { queueEnv, readTables } from '../shared/service.js';
import { bookingsService } from './service.js';

const SAGA_QUEUE_URL = queueEnv(bookingsService.name, 'saga');

/**
 * Read at cold start by the functions that move bookings through the saga
 * (HTTP, RPC, saga queue, reconciler): the table, the saga queue, the movies
 * request queue (durable releases) and the log feed.
 */
export const sagaEnv = () => ({
  table: readTables(bookingsService).bookings,
  ...readEnv({
    sagaQueueUrl: SAGA_QUEUE_URL,
    moviesQueueUrl: rpcQueueEnv('movies'),
    logFeedTopicArn: ENV.logFeedTopicArn,
    service: 'POWERTOOLS_SERVICE_NAME',
  }),
});
