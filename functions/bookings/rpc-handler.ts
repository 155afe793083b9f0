import { timeoutWithin } from '../shared/rpc/client.js';
import { lambdaRpcClients, lambdaRpcServer } from '../shared/rpc/lambda.js';
import { usersContract } from '../users/contract.js';
import { bookingsFor, store } from './compose.js';
import { bookingsContract } from './contract.js';
import { bookingsOfUsers } from './domain/bookings.js';

const usersClients = () => lambdaRpcClients('bookings', { users: usersContract });
let clients: ReturnType<typeof usersClients> | undefined;
/** The users service over RPC (a person's bookings are listed only for someone it knows), its client made on first use. */
function usersOver(requestId: string, timeoutMs: number) {
  clients ??= usersClients();
  return clients(requestId, timeoutMs).users;
}

/**
 * The bookings service's RPC methods, for the users service: a person's
 * bookings, closing their account to bookings, and their erasure; calls of
 * its own end before the caller's deadline.
 */
export const handler = lambdaRpcServer(bookingsContract, {
  listForUser: ({ userId }, { requestId, deadline }) => {
    const users = usersOver(requestId, timeoutWithin(deadline));
    return bookingsOfUsers({ store, users: { get: (id) => users.get({ id }) } }).listForUser(userId);
  },
  countForUser: ({ userId }) => store.countForUser(userId),
  closeForUser: async ({ userId }, { requestId }) => {
    await bookingsFor(requestId).closeForUser(userId);
    return null;
  },
  eraseForUser: ({ userId }, { requestId }) => bookingsFor(requestId).eraseForUser(userId),
});
