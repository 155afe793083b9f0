/**
 * A person's deletion as the users functions run it (HTTP, the sweep, the
 * deletions queue): profiles in the table, accounts in the user pool, and
 * the delayed erasures on the service's own queue, from the env read at
 * cold start.
 */
import { cognitoDirectory } from '../shared/identity/cognito-directory.js';
import { sqsEraseQueue } from './deletion-queue.js';
import { accountDeletion } from './domain/deletion.js';
import { dynamoUserStore } from './dynamo-store.js';
import { usersEnv } from './env.js';
import { ERASE_AFTER_SECONDS, RESUME_AFTER_MINUTES } from './timing.js';

/** Profiles read per Scan page by the sweep. */
const SWEEP_PAGE_SIZE = 100;

const env = usersEnv();
const directory = cognitoDirectory(env.userPoolId);

export const store = dynamoUserStore(env.table);
export const queue = sqsEraseQueue(env.deletionsQueueUrl);
export const accounts = {
  remove: directory.deleteAccount,
  exists: async (userId: string) => (await directory.groupsOf(userId)) !== undefined,
  ids: () => directory.userIds(),
};

/** Starting a deletion, and the sweep of profiles against accounts. */
export const deletion = accountDeletion({
  store,
  accounts,
  queue,
  now: () => new Date(),
  timing: {
    eraseAfterSeconds: ERASE_AFTER_SECONDS,
    resumeAfterMs: RESUME_AFTER_MINUTES * 60_000,
    sweepPageSize: SWEEP_PAGE_SIZE,
  },
});
