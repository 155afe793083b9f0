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
      userPool: ['AdminDeleteUser'],
      listCursors: true,
    },
    'users-rpc': {
      entry: 'users/rpc-handler.ts',
      description: "Users' RPC methods: a profile, and creating one for a new identity",
      trigger: { rpc: true },
      tables: { users: ['GetItem', 'PutItem'] },
    },
  },
  rpc: usersContract,
});
