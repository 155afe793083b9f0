import { moviesContract } from '../movies/contract.js';
import { defineService } from '../shared/service.js';
import { usersContract } from '../users/contract.js';
import { bookingsContract } from './contract.js';
import { bookingRoutes } from './routes.js';
import { BOOKINGS_TABLE } from './table.js';
import { BOOKINGS_TIMEOUT_SECONDS } from './timing.js';

/** Bookings: a saga over RPC (the saga queue and reconciler are wired in lib/services/booking.ts). */
export const bookingsService = defineService({
  name: 'bookings',
  routes: bookingRoutes,
  tables: {
    bookings: {
      partitionKey: BOOKINGS_TABLE.partitionKey,
      globalIndexes: { [BOOKINGS_TABLE.byUserIndex]: BOOKINGS_TABLE.byUser },
    },
  },
  functions: {
    bookings: {
      entry: 'bookings/handler.ts',
      description: 'Bookings: checks users and reserves seats over RPC',
      timeoutSeconds: BOOKINGS_TIMEOUT_SECONDS,
      routes: 'all',
      tables: { bookings: ['GetItem', 'PutItem', 'UpdateItem', 'DeleteItem', 'Scan', 'Query'] },
      calls: [usersContract, moviesContract],
      logFeed: 'publish',
    },
  },
  rpc: { contract: bookingsContract, server: 'bookings' },
});
