import * as z from 'zod/mini';
import { defineContract } from '../shared/rpc/contract.js';
import { BOOKINGS_TIMEOUT_SECONDS } from './timing.js';

/**
 * The longest a booking's create can run (the bookings function's timeout):
 * a create whose insert came before its person's account was closed to
 * bookings (`closeForUser`) has ended this long after the close.
 */
export const LONGEST_CREATE_SECONDS = BOOKINGS_TIMEOUT_SECONDS;

/**
 * A booking's saga state. Seats are held while `pending` (maybe: the reserve
 * is in flight) and `confirmed`; every other path ends `released` or
 * `cancelled` with the seats back:
 *
 *   pending --reserved--> confirmed --cancel--> cancelling --seats back--> cancelled
 *      |--refused (404/409): the booking is deleted, nothing was held
 *      '--timeout / crash--> releasing --seats back--> released
 */
export const bookingStatus = z.enum([
  'pending',
  'confirmed',
  'cancelling',
  'cancelled',
  'releasing',
  'released',
]);

export const bookingSchema = z.object({
  id: z.string(),
  userId: z.string(),
  movieId: z.string(),
  showtimeId: z.string(),
  seats: z.number(),
  status: bookingStatus,
  createdOn: z.string(),
  updatedOn: z.string(),
});

/** The bookings service over RPC, for the users service. */
export const bookingsContract = defineContract('bookings', {
  /** The user's bookings that hold (or are giving back) seats; NotFound for a user the users service does not know. */
  listForUser: { input: z.object({ userId: z.string() }), output: z.array(bookingSchema) },
  countForUser: { input: z.object({ userId: z.string() }), output: z.number().check(z.int(), z.gte(0)) },
  /**
   * Closes a person's account to new bookings, for its deletion: every
   * booking created after this answer is refused (404), and every create
   * that got in before ends within {@link LONGEST_CREATE_SECONDS}. Call it
   * before the account goes and at every later step (it renews the close);
   * again is harmless. Asks nothing of the users service.
   */
  closeForUser: { input: z.object({ userId: z.string() }), output: z.null() },
  /**
   * Erases a person's bookings, for the deletion of their account: cancels
   * those holding seats (the seats come back through durable releases),
   * deletes those settled, and answers how many are still giving seats back
   * (call again until none remain). Asks nothing of the users service.
   */
  eraseForUser: {
    input: z.object({ userId: z.string() }),
    output: z.object({ remaining: z.number().check(z.int(), z.gte(0)) }),
  },
});
