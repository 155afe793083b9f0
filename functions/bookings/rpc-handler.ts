import { lambdaRpcServer } from '../shared/rpc/lambda.js';
import { readTables } from '../shared/service.js';
import { bookingsContract } from './contract.js';
import { bookingsOfUsers } from './domain/bookings.js';
import { dynamoBookingStore } from './dynamo-store.js';
import { bookingsService } from './service.js';

const bookings = bookingsOfUsers(dynamoBookingStore(readTables(bookingsService).bookings));

/** The bookings service's RPC methods: a person's bookings, for the users service. */
export const handler = lambdaRpcServer(bookingsContract, {
  listForUser: ({ userId }) => bookings.listForUser(userId),
  countForUser: ({ userId }) => bookings.countForUser(userId),
});
