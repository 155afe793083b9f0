import { ConflictError, NotFoundError } from '../../shared/errors.js';
import type { Page } from '../../shared/pagination.js';

export interface Showtime {
  id: string;
  startsAt: string;
  seats: number;
  available: number;
}

export interface Movie {
  id: string;
  title: string;
  director?: string;
  rating: number;
  showtimes: Showtime[];
}

export type MovieFields = Pick<Movie, 'title' | 'director' | 'rating'>;

/** Seats of one showtime held for one booking; the booking id keys every operation on it. */
export interface Hold {
  bookingId: string;
  movieId: string;
  showtimeId: string;
  seats: number;
}

/**
 * Outcome of a reservation, the same however often it is repeated:
 * `released` means the booking's seats were already given back (or the
 * release came first), so they can never be taken for it again.
 */
export type Reservation = 'reserved' | 'no-such-showtime' | 'not-enough-seats' | 'released';

export interface MovieStore {
  insert(movie: Movie): Promise<void>;
  get(id: string): Promise<Movie | undefined>;
  list(limit: number, cursor?: string): Promise<Page<Movie>>;
  replace(id: string, fields: MovieFields): Promise<Movie | undefined>;
  remove(id: string): Promise<boolean>;
  /**
   * Takes the seats and records the hold under its booking id in one
   * conditional write, only if that many are available and the booking has
   * no hold yet; a repeat answers what the first attempt decided.
   */
  reserve(hold: Hold): Promise<Reservation>;
  /** Gives the booking's held seats back once (returns how many); with nothing held, records the release so a later reserve is refused. */
  release(hold: Hold): Promise<number>;
}

export function movieService(deps: { store: MovieStore; newId: () => string }) {
  const { store } = deps;
  return {
    async get(id: string): Promise<Movie> {
      const movie = await store.get(id);
      if (!movie) throw new NotFoundError(`movie ${id} not found`);
      return movie;
    },
    list: (limit: number, cursor?: string) => store.list(limit, cursor),
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
    async replace(id: string, fields: MovieFields): Promise<Movie> {
      const movie = await store.replace(id, fields);
      if (!movie) throw new NotFoundError(`movie ${id} not found`);
      return movie;
    },
    async remove(id: string): Promise<void> {
      if (!(await store.remove(id))) throw new NotFoundError(`movie ${id} not found`);
    },
    /** Idempotent per booking id: a redelivered or retried request reserves once. */
    async reserve(hold: Hold): Promise<{ bookingId: string; reserved: number }> {
      const outcome = await store.reserve(hold);
      if (outcome === 'no-such-showtime')
        throw new NotFoundError(`movie ${hold.movieId} has no showtime ${hold.showtimeId}`);
      if (outcome === 'not-enough-seats')
        throw new ConflictError(`not enough seats left for showtime ${hold.showtimeId}`);
      if (outcome === 'released') throw new ConflictError(`booking ${hold.bookingId} was already released`);
      return { bookingId: hold.bookingId, reserved: hold.seats };
    },
    /** Idempotent per booking id: gives the seats back once, whatever the order of deliveries. */
    async release(hold: Hold): Promise<{ bookingId: string; released: number }> {
      return { bookingId: hold.bookingId, released: await store.release(hold) };
    },
  };
}
