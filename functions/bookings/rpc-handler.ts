import { timeoutWithin } from '../shared/rpc/client.js';
import { lambdaRpcServer } from '../shared/rpc/lambda.js';
import { bookingsFor } from './compose.js';
import { bookingsContract } from './contract.js';

/**
 * The bookings service's RPC methods, for the users service: a person's
 * bookings, and their erasure; calls of its own end before the caller's deadline.
 */
export const handler = lambdaRpcServer(bookingsContract, {
  listForUser: ({ userId }, { requestId, deadline }) =>
    bookingsFor(requestId, timeoutWithin(deadline)).listForUser(userId),
  countForUser: ({ userId }, { requestId }) => bookingsFor(requestId).countForUser(userId),
  eraseForUser: ({ userId }, { requestId }) => bookingsFor(requestId).eraseForUser(userId),
});
