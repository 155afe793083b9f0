import { moviesContract } from '../movies/contract.js';
import { defineService } from '../shared/service.js';
import { usersContract } from '../users/contract.js';
import { bookingStatus, bookingsContract } from './contract.js';
import { bookingRoutes } from './routes.js';
import { BOOKINGS_TABLE, CLOSED_ACCOUNTS_TABLE, RATE_LIMITS_TABLE } from './table.js';
import { BOOKINGS_TIMEOUT_SECONDS, RECONCILE_EVERY_MINUTES } from './timing.js';

/**
 * What every function that moves a booking through the saga may touch: the
 * bookings (by key, and by the by-user and in-flight indexes), the closed
 * accounts a booking's insert is conditional on, the saga queue, and movies.
 */
const saga = {
  timeoutSeconds: BOOKINGS_TIMEOUT_SECONDS,
  tables: {
    bookings: ['GetItem', 'PutItem', 'UpdateItem', 'DeleteItem', 'Query'],
    'closed-accounts': ['ConditionCheckItem'],
  },
  sends: ['saga'],
  calls: [moviesContract],
  logFeed: 'publish',
  faultPoints: true,
} as const;

/**
 * Bookings: a saga over RPC. A booking is created and cancelled over HTTP;
 * the saga queue carries delayed checks and movies' replies to durable
 * releases; the reconciler repairs what a crash left behind; the users
 * service reads a person's bookings over RPC. One function per event source,
 * each built from functions/bookings/compose.ts.
 */
export const bookingsService = defineService({
  name: 'bookings',
  routes: bookingRoutes,
  tables: {
    bookings: {
      partitionKey: BOOKINGS_TABLE.partitionKey,
      globalIndexes: {
        [BOOKINGS_TABLE.byUserIndex]: BOOKINGS_TABLE.byUser,
        // Sparse: only bookings with a saga step in flight (functions/bookings/table.ts).
        [BOOKINGS_TABLE.inFlightIndex]: BOOKINGS_TABLE.inFlight,
        [BOOKINGS_TABLE.byStatusIndex]: BOOKINGS_TABLE.byStatus,
      },
    },
    // Per-person counts of booking writes, one item per person and window, expiring.
    'rate-limits': RATE_LIMITS_TABLE,
    // People whose account is being deleted: no booking may be made for them (one item each, expiring).
    'closed-accounts': CLOSED_ACCOUNTS_TABLE,
  },
  queues: {
    // Delayed checks (from bookings) and replies to durable releases (from movies' RPC server).
    saga: { repliesFrom: [moviesContract] },
  },
  functions: {
    bookings: {
      entry: 'bookings/handler.ts',
      description: 'Bookings over HTTP: creates and cancels them, reserving seats over RPC',
      routes: 'all',
      ...saga,
      listCursors: true,
      // Scan: the admin's list of every booking, a page at a time.
      tables: {
        ...saga.tables,
        bookings: [...saga.tables.bookings, 'Scan'],
        'rate-limits': ['UpdateItem'],
      },
    },
    'bookings-saga': {
      entry: 'bookings/saga-handler.ts',
      description: "The booking saga's queue: delayed checks, and movies' replies to durable releases",
      trigger: { queue: 'saga' },
      ...saga,
    },
    'bookings-reconciler': {
      entry: 'bookings/reconciler.ts',
      description: 'Repairs bookings a crash left in flight, reading the in-flight index alone',
      trigger: { schedule: { everyMinutes: RECONCILE_EVERY_MINUTES } },
      ...saga,
    },
    'bookings-rpc': {
      entry: 'bookings/rpc-handler.ts',
      description:
        "Bookings' RPC methods for the users service: a person's bookings, closing their account to bookings, and erasing them",
      trigger: { rpc: true },
      // eraseForUser moves bookings through the saga (cancels, durable releases);
      // closeForUser writes the closed account;
      // listForUser answers NotFound for someone the users service does not know.
      ...saga,
      tables: { ...saga.tables, 'closed-accounts': ['ConditionCheckItem', 'PutItem'] },
      calls: [usersContract, moviesContract],
    },
  },
  rpc: bookingsContract,
  sagaStates: bookingStatus.options,
});
