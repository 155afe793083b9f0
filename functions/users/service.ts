import { bookingsContract } from '../bookings/contract.js';
import { defineService } from '../shared/service.js';
import { tasksContract } from '../tasks/contract.js';
import { usersContract } from './contract.js';
import { userRoutes } from './routes.js';
import { SWEEP_EVERY_MINUTES } from './timing.js';

/**
 * Users of the booking system: profiles, their bookings through the bookings
 * service, and the deletion of a person (functions/users/domain/deletion.ts):
 * started over HTTP or by the sweep, finished by the consumer of the
 * service's own `deletions` queue of delayed erasures.
 */
export const usersService = defineService({
  name: 'users',
  routes: userRoutes,
  tables: { users: { partitionKey: 'id' } },
  queues: {
    // Delayed erasures: sent when a deletion starts, and again while bookings give seats back.
    deletions: {},
  },
  functions: {
    users: {
      entry: 'users/handler.ts',
      description: 'Users, their bookings through the bookings service, and starting their deletion',
      routes: 'all',
      tables: { users: ['GetItem', 'UpdateItem', 'Scan'] },
      sends: ['deletions'],
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
    'users-deletion': {
      entry: 'users/deletion-handler.ts',
      description: "Erases a deleted person's bookings, tasks and profile once nothing of theirs can run",
      trigger: { queue: 'deletions' },
      timeoutSeconds: 30,
      tables: { users: ['GetItem', 'DeleteItem'] },
      sends: ['deletions'],
      calls: [bookingsContract, tasksContract],
      userPool: ['AdminDeleteUser'],
      logFeed: 'publish',
    },
    'users-sweeper': {
      entry: 'users/sweeper.ts',
      description: 'Deletes the people whose account was removed outside the API (profiles against the pool)',
      trigger: { schedule: { everyMinutes: SWEEP_EVERY_MINUTES } },
      timeoutSeconds: 300,
      tables: { users: ['Scan', 'UpdateItem'] },
      sends: ['deletions'],
      // A deletion it starts closes the person's account to bookings.
      calls: [bookingsContract],
      userPool: ['ListUsers', 'AdminListGroupsForUser', 'AdminDeleteUser'],
    },
  },
  rpc: usersContract,
});
