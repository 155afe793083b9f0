import { readEnv } from '../shared/env.js';
import { ENV } from '../shared/env-names.js';
import { queueEnv, readTables } from '../shared/service.js';
import { usersService } from './service.js';

const DELETIONS_QUEUE_URL = queueEnv(usersService.name, 'deletions');

/** Read at cold start by the users RPC function: its table. */
export const profilesEnv = () => ({ table: readTables(usersService).users });

/**
 * Read at cold start by the users functions that delete people (HTTP, the
 * deletions queue, the sweep): the table, the user pool its people sign in
 * to, and the queue of delayed erasures.
 */
export const usersEnv = () => ({
  table: readTables(usersService).users,
  ...readEnv({ userPoolId: ENV.userPoolId, deletionsQueueUrl: DELETIONS_QUEUE_URL }),
});

/** Read at cold start by the deletions queue's consumer: what {@link usersEnv} reads, and the log feed. */
export const deletionsEnv = () => ({
  ...usersEnv(),
  ...readEnv({ logFeedTopicArn: ENV.logFeedTopicArn, service: 'POWERTOOLS_SERVICE_NAME' }),
});
