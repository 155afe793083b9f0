import * as z from 'zod/mini';
import { ConflictError, NotFoundError, ValidationError } from '../../shared/errors.js';
import type { Page } from '../../shared/pagination.js';

/** A showtime and its seats; `available` is what bookings have not taken. */
export const showtime = z.object({
  id: z.string(),
  startsAt: z.string(),
  seats: z.number(),
  available: z.number(),
});
export type Showtime = z.infer<typeof showtime>;

/** A movie as the routes answer it: the response schema and the domain type in one. */
export const movie = z.object({
  id: z.string(),
  title: z.string(),
  director: z.optional(z.string()),
  rating: z.number(),
  showtimes: z.array(showtime),
});
export type Movie = z.infer<typeof movie>;

export type MovieFields = Pick<Movie, 'title' | 'director' | 'rating'>;

/**
 * Seats of one showtime held for one booking by one person; the booking id
 * keys every operation on it, the person's id counts their seats per showtime.
 */
export interface Hold {
  bookingId: string;
  userId: string;
  movieId: string;
  showtimeId: string;
  seats: number;
}

/**
 * Outcome of a reservation, the same however often it is repeated:
 * `released` means the booking's seats were already given back (or the
 * release came first), so they can never be taken for it again; `started`
 * that the showtime has begun; `over-the-cap` that the person would hold
 * more than {@link HoldRules.seatsPerPerson} seats of the showtime.
 */
export type Reservation =
  | 'reserved'
  | 'no-such-showtime'
  | 'started'
  | 'not-enough-seats'
  | 'over-the-cap'
  | 'released';

/** What a reserve is checked against, decided by the domain and applied by the store in the same write. */
export interface HoldRules {
  /** The time of the request (epoch ms): a showtime starting at or before it is refused. */
  now: number;
  /** The most seats one person may hold of one showtime, over all their bookings. */
  seatsPerPerson: number;
}

/** The seats a person may hold of one showtime unless configured otherwise. */
export const SEATS_PER_PERSON = 20;

/** The movies themselves: what the HTTP routes read and write. */
export interface MovieCatalog {
  insert(movie: Movie): Promise<void>;
  get(id: string): Promise<Movie | undefined>;
  /**
   * Movies a page at a time, in no particular order; with `title`
   * (lower-cased), only those whose title starts with it, in any case, in
   * the order of their lower-cased titles.
   */
  list(limit: number, cursor?: string, title?: string): Promise<Page<Movie>>;
  replace(id: string, fields: MovieFields): Promise<Movie | undefined>;
  /** Adds showtimes to the movie (their seats all free); undefined if the movie is not there. */
  addShowtimes(id: string, showtimes: Showtime[]): Promise<Movie | undefined>;
  /**
   * Removes one showtime of the movie only if none of its seats is held, in
   * one conditional write: `booked` if one is, `missing` if the movie or the
   * showtime is not there.
   */
  removeShowtime(id: string, showtimeId: string): Promise<'removed' | 'booked' | 'missing'>;
  /**
   * Deletes the movie only if no seat of any of its showtimes is held, in one
   * conditional write; `changed` if it was booked or deleted meanwhile.
   */
  removeUnbooked(movie: Movie): Promise<'deleted' | 'changed'>;
}

/**
 * Seat holds: what the RPC methods do. Each booking's hold is its own record
 * (not part of the movie), written in the same atomic write as the seat count
 * and the person's seats of the showtime, so `available + held = capacity`
 * holds and each operation is idempotent per booking id.
 */
export interface SeatStore {
  /**
   * Takes the seats, records the hold under its booking id and counts them
   * to the person, all in one atomic write, only if the showtime has not
   * started, that many are available, the person stays within the rules'
   * cap and the booking has no record yet; a repeat answers what the first
   * attempt decided (refusals for seats or the cap are recorded for that).
   */
  reserve(hold: Hold, rules: HoldRules): Promise<Reservation>;
  /** Gives the booking's held seats back once (returns how many); with nothing held, records the release so a later reserve is refused. */
  release(hold: Hold, rules: Pick<HoldRules, 'now'>): Promise<number>;
}

/** Everything the movies service stores. */
export type MovieStore = MovieCatalog & SeatStore;

/** Seats bookings hold on a movie: what its showtimes have given out. */
export const heldSeats = (movie: Movie) =>
  movie.showtimes.reduce((held, s) => held + (s.seats - s.available), 0);

/** The most showtimes one movie has (its item stays far below DynamoDB's 400 KB). */
export const MAX_SHOWTIMES = 100;

/** A new showtime as an admin gives it. */
export type NewShowtime = Pick<Showtime, 'startsAt' | 'seats'>;

/** Movies and their showtimes, over HTTP. */
export function movieService(deps: { store: MovieCatalog; newId: () => string }) {
  const { store } = deps;
  return {
    async get(id: string): Promise<Movie> {
      const movie = await store.get(id);
      if (!movie) throw new NotFoundError(`movie ${id} not found`);
      return movie;
    },
    /** Movies, or those whose title starts with `title` (any case). */
    list: (limit: number, cursor?: string, title?: string) =>
      store.list(limit, cursor, title === undefined ? undefined : title.toLowerCase()),
    async create(
      fields: MovieFields & { showtimes: Array<{ startsAt: string; seats: number }> },
    ): Promise<Movie> {
      const movie: Movie = {
        ...fields,
        showtimes: fields.showtimes
          .map((s) => ({ id: deps.newId(), startsAt: s.startsAt, seats: s.seats, available: s.seats }))
          .sort((a, b) => a.startsAt.localeCompare(b.startsAt)),
        id: deps.newId(),
      };
      await store.insert(movie);
      return movie;
    },
    /**
     * Adds showtimes to a movie, up to {@link MAX_SHOWTIMES} in all (counted
     * on the movie as read: two adds at once may each fit alone).
     */
    async addShowtimes(id: string, showtimes: NewShowtime[]): Promise<Movie> {
      const movie = await store.get(id);
      if (!movie) throw new NotFoundError(`movie ${id} not found`);
      if (movie.showtimes.length + showtimes.length > MAX_SHOWTIMES) {
        throw new ValidationError([
          {
            field: 'body.showtimes',
            message: `a movie has at most ${MAX_SHOWTIMES} showtimes; this one has ${movie.showtimes.length}`,
          },
        ]);
      }
      const added = showtimes.map((s) => ({
        id: deps.newId(),
        startsAt: s.startsAt,
        seats: s.seats,
        available: s.seats,
      }));
      const updated = await store.addShowtimes(id, added);
      if (!updated) throw new NotFoundError(`movie ${id} not found`);
      return updated;
    },
    /** Removes a showtime none of whose seats is booked; one that has some is a Conflict (cancel them first). */
    async removeShowtime(id: string, showtimeId: string): Promise<Movie> {
      const outcome = await store.removeShowtime(id, showtimeId);
      if (outcome === 'missing') throw new NotFoundError(`movie ${id} has no showtime ${showtimeId}`);
      if (outcome === 'booked')
        throw new ConflictError(`showtime ${showtimeId} has booked seats; cancel its bookings first`);
      const movie = await store.get(id);
      if (!movie) throw new NotFoundError(`movie ${id} not found`);
      return movie;
    },
    async replace(id: string, fields: MovieFields): Promise<Movie> {
      const movie = await store.replace(id, fields);
      if (!movie) throw new NotFoundError(`movie ${id} not found`);
      return movie;
    },
    /**
     * Deletes a movie that no booking holds seats of; one that does is a
     * Conflict (cancel its bookings first), so no booking is left pointing at
     * nothing. A booking made while deleting wins: the delete is retried once
     * against the fresh state, then refused.
     */
    async remove(id: string): Promise<void> {
      for (let attempt = 0; attempt < 2; attempt++) {
        const movie = await store.get(id);
        if (!movie) throw new NotFoundError(`movie ${id} not found`);
        const held = heldSeats(movie);
        if (held > 0) {
          throw new ConflictError(`movie ${id} has ${held} booked seat(s); cancel its bookings first`);
        }
        if ((await store.removeUnbooked(movie)) === 'deleted') return;
      }
      throw new ConflictError(`movie ${id} changed while being deleted; try again`);
    },
  };
}

/**
 * Seat holds for the bookings service, over RPC: idempotent per booking id,
 * checked against the showtime's start and the person's cap at the time of
 * each request.
 */
export function seatHolds(deps: { store: SeatStore; now: () => number; seatsPerPerson: number }) {
  const { store } = deps;
  return {
    /** Idempotent per booking id: a redelivered or retried request reserves once. */
    async reserve(hold: Hold): Promise<{ bookingId: string; reserved: number }> {
      const outcome = await store.reserve(hold, { now: deps.now(), seatsPerPerson: deps.seatsPerPerson });
      const showtime = `showtime ${hold.showtimeId} of movie ${hold.movieId}`;
      if (outcome === 'no-such-showtime')
        throw new NotFoundError(`movie ${hold.movieId} has no showtime ${hold.showtimeId}`);
      if (outcome === 'started')
        throw new ConflictError(`${showtime} has started; it can no longer be booked`);
      if (outcome === 'not-enough-seats')
        throw new ConflictError(`not enough seats left for showtime ${hold.showtimeId}`);
      if (outcome === 'over-the-cap')
        throw new ConflictError(`at most ${deps.seatsPerPerson} seats per person on ${showtime}`);
      if (outcome === 'released') throw new ConflictError(`booking ${hold.bookingId} was already released`);
      return { bookingId: hold.bookingId, reserved: hold.seats };
    },
    /** Idempotent per booking id: gives the seats back once, whatever the order of deliveries. */
    async release(hold: Hold): Promise<{ bookingId: string; released: number }> {
      return { bookingId: hold.bookingId, released: await store.release(hold, { now: deps.now() }) };
    },
  };
}
