import { z } from 'zod';
import { type Caller, mayAccess } from '../../shared/caller.js';
import { NotFoundError } from '../../shared/errors.js';
import type { Page } from '../../shared/pagination.js';

/** A booking as the routes answer it: the response schema and the domain type in one. */
export const booking = z.object({
  id: z.string(),
  userId: z.string(),
  movieId: z.string(),
  showtimeId: z.string(),
  seats: z.number(),
  createdOn: z.string(),
});
export type Booking = z.infer<typeof booking>;

export type BookingRequest = Pick<Booking, 'userId' | 'movieId' | 'showtimeId' | 'seats'>;

export interface BookingStore {
  insert(booking: Booking): Promise<void>;
  get(id: string): Promise<Booking | undefined>;
  list(limit: number, cursor?: string): Promise<Page<Booking>>;
  /** One user's bookings, oldest first, a page at a time. */
  pageForUser(userId: string, limit: number, cursor?: string): Promise<Page<Booking>>;
  /** Deletes and returns the booking, if it existed. */
  remove(id: string): Promise<Booking | undefined>;
  listForUser(userId: string): Promise<Booking[]>;
  countForUser(userId: string): Promise<number>;
}

/** What bookings need from the users service: throws NotFound for a missing user. */
export interface UsersOfBookings {
  get(userId: string): Promise<unknown>;
}

/** What bookings need from the movies service: atomic reserve (NotFound / Conflict) and release. */
export interface SeatsOfBookings {
  reserve(movieId: string, showtimeId: string, seats: number): Promise<void>;
  release(movieId: string, showtimeId: string, seats: number): Promise<void>;
}

export function bookingService(deps: {
  store: BookingStore;
  users: UsersOfBookings;
  seats: SeatsOfBookings;
  newId: () => string;
  now: () => Date;
}) {
  const { store, users, seats } = deps;
  /** Someone else's booking is as absent as a missing one: ids cannot be probed. */
  const get = async (id: string, caller: Caller): Promise<Booking> => {
    const booking = await store.get(id);
    if (!booking || !mayAccess(caller, booking.userId)) throw new NotFoundError(`booking ${id} not found`);
    return booking;
  };
  return {
    get,
    /** The caller's own bookings; an admin's list holds everyone's. */
    list: (caller: Caller, limit: number, cursor?: string) =>
      caller.role === 'admin' ? store.list(limit, cursor) : store.pageForUser(caller.userId, limit, cursor),
    listForUser: (userId: string) => store.listForUser(userId),
    countForUser: (userId: string) => store.countForUser(userId),

    /**
     * Checks the user, reserves the seats atomically, then records the
     * booking; if recording fails, the seats are given back (no leaks).
     */
    async create(request: BookingRequest): Promise<Booking> {
      await users.get(request.userId);
      await seats.reserve(request.movieId, request.showtimeId, request.seats);
      const booking: Booking = { id: deps.newId(), ...request, createdOn: deps.now().toISOString() };
      try {
        await store.insert(booking);
      } catch (error) {
        await seats.release(request.movieId, request.showtimeId, request.seats);
        throw error;
      }
      return booking;
    },

    /** Deletes the booking and gives its seats back. */
    async remove(id: string, caller: Caller): Promise<void> {
      await get(id, caller);
      const booking = await store.remove(id);
      if (!booking) throw new NotFoundError(`booking ${id} not found`);
      await seats.release(booking.movieId, booking.showtimeId, booking.seats);
    },
  };
}
