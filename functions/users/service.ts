import { bookingsContract } from '../bookings/contract.js';
import { defineService } from '../shared/service.js';
import { usersContract } from './contract.js';
import { userRoutes } from './routes.js';

/** Users of the booking system: profiles, and their bookings through the bookings service. */
export const usersService = defineService({
  name: 'users',
  routes: userRoutes,
  tables: { users: { partitionKey: 'id' } },
  functions: {
    users: {
      entry: 'users/handler.ts',
      description: 'Users, and their bookings through the bookings service',
      routes: 'all',
      tables: { users: ['GetItem', 'PutItem', 'UpdateItem', 'DeleteItem', 'Scan'] },
      calls: [bookingsContract],
    },
  },
  rpc: { contract: usersContract, server: 'users' },
});
