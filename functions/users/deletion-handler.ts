import { bookingsContract } from '../bookings/contract.js';
import { eventHandler } from '../shared/event-handler.js';
import { snsFeedPublisher } from '../shared/log-feed/sns-publisher.js';
import { logger } from '../shared/logger.js';
import { lambdaRpcClients } from '../shared/rpc/lambda.js';
import { tasksContract } from '../tasks/contract.js';
import { accounts, queue, store } from './compose.js';
import { eraseQueueConsumer } from './deletion-queue.js';
import { accountErasure } from './domain/deletion.js';
import { deletionsEnv } from './env.js';
import { ERASE_AFTER_SECONDS, MAX_ERASE_ATTEMPTS, RETRY_AFTER_SECONDS } from './timing.js';

const env = deletionsEnv();
const clients = lambdaRpcClients('users', { bookings: bookingsContract, tasks: tasksContract });

/** The erasure of one message: its RPC calls and feed event carry the message id. */
const erasureFor = (requestId: string) => {
  const { bookings, tasks } = clients(requestId);
  return accountErasure({
    store,
    accounts,
    queue,
    bookings: {
      closeForUser: (userId) => bookings.closeForUser({ userId }),
      eraseForUser: (userId) => bookings.eraseForUser({ userId }),
    },
    tasks: { eraseForUser: (userId) => tasks.eraseForUser({ userId }) },
    feed: snsFeedPublisher(env.logFeedTopicArn, env.service, requestId),
    log: logger,
    timing: {
      eraseAfterSeconds: ERASE_AFTER_SECONDS,
      retryAfterSeconds: RETRY_AFTER_SECONDS,
      maxAttempts: MAX_ERASE_ATTEMPTS,
    },
  });
};

/** The deletions queue's consumer: erases a person's bookings, tasks and profile once nothing of theirs can run. */
export const handler = eventHandler(
  eraseQueueConsumer((requestId) => (message) => erasureFor(requestId).erase(message)),
);
