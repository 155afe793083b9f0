import * as z from 'zod/mini';
import { defineContract } from '../shared/rpc/contract.js';

/**
 * A hold: `seats` on one showtime, for one booking of one person. The booking
 * id is chosen by the caller before its first attempt and keys the operation,
 * so a redelivered or retried call takes or gives back the seats once; the
 * person's id counts their seats of the showtime against the per-person cap.
 */
export const hold = z.object({
  bookingId: z.string().check(z.minLength(1)),
  userId: z.string().check(z.minLength(1)),
  movieId: z.string().check(z.minLength(1)),
  showtimeId: z.string().check(z.minLength(1)),
  seats: z.number().check(z.int(), z.gte(1)),
});

/** The movies service over RPC: idempotent seat holds keyed by booking id. */
export const moviesContract = defineContract('movies', {
  /** Takes the seats for the booking once; NotFound for an unknown showtime; Conflict when it has started, too few are left, the person would hold more than the per-person cap, or the booking was already released. */
  reserveSeats: {
    input: hold,
    output: z.object({ bookingId: z.string(), reserved: z.number() }),
  },
  /** Gives the booking's seats back once; a release before (or instead of) the reserve makes any later reserve of that booking fail. */
  releaseSeats: {
    input: hold,
    output: z.object({ bookingId: z.string(), released: z.number() }),
  },
});
