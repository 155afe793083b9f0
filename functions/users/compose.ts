/**
 * A person's deletion as the users functions run it (HTTP, the sweep, the
 * deletions queue): profiles in the table, accounts in the user pool, the
 * delayed erasures on the service's own queue, and the bookings service
 * over RPC, from the env read at cold start.
 */
import { bookingsContract } from '../bookings/contract.js';
import { cognitoDirectory } from '../shared/identity/cognito-directory.js';
import { lambdaRpcClients } from '../shared/rpc/lambda.js';
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

const bookingsClients = () => lambdaRpcClients('users', { bookings: bookingsContract });
let clients: ReturnType<typeof bookingsClients> | undefined;
/**
 * The bookings service over RPC for one request, its client made on first
 * use: the deletions consumer, which brings its own, never makes this one.
 */
export function bookingsOver(requestId: string) {
  clients ??= bookingsClients();
  return clients(requestId).bookings;
}

/** Starting a deletion, and the sweep of profiles against accounts, for one request (its RPC calls carry its id). */
export const deletionFor = (requestId: string) =>
  accountDeletion({
    store,
    accounts,
    queue,
    bookings: { closeForUser: (userId) => bookingsOver(requestId).closeForUser({ userId }) },
    now: () => new Date(),
    timing: {
      eraseAfterSeconds: ERASE_AFTER_SECONDS,
      resumeAfterMs: RESUME_AFTER_MINUTES * 60_000,
      sweepPageSize: SWEEP_PAGE_SIZE,
    },
  });
