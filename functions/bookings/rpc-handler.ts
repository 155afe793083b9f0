import { timeoutWithin } from '../shared/rpc/client.js';
import { lambdaRpcClients, lambdaRpcServer } from '../shared/rpc/lambda.js';
import { usersContract } from '../users/contract.js';
import { bookingsContract } from './contract.js';
import { bookingsOfUsers } from './domain/bookings.js';
import { dynamoBookingStore } from './dynamo-store.js';
import { bookingsRpcEnv } from './env.js';

const store = dynamoBookingStore(bookingsRpcEnv().table);
const clients = lambdaRpcClients('bookings', { users: usersContract });

/** A person's bookings for one request; its own calls end before the caller's deadline. */
const bookingsFor = (requestId: string, deadline: number) => {
  const { users } = clients(requestId, timeoutWithin(deadline));
  return bookingsOfUsers({ store, users: { get: (id) => users.get({ id }) } });
};

/** The bookings service's RPC methods: a person's bookings, for the users service. */
export const handler = lambdaRpcServer(bookingsContract, {
  listForUser: ({ userId }, { requestId, deadline }) => bookingsFor(requestId, deadline).listForUser(userId),
  countForUser: ({ userId }, { requestId, deadline }) =>
    bookingsFor(requestId, deadline).countForUser(userId),
});
