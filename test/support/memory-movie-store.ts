import type { Hold, Movie, MovieStore, Reservation } from '../../functions/movies/domain/movies.js';

type Recorded = Hold & { state: 'held' | 'released' | 'not-enough-seats' };

/**
 * The movies store's rules in memory, as the DynamoDB store applies them:
 * seats are taken and given back once per booking id (a repeat answers what
 * the first attempt decided, a release before the reserve refuses it), and a
 * movie is deleted only while no seat of it is held.
 */
export function memoryMovieStore(movies: Movie[]) {
  const stored = new Map(movies.map((m) => [m.id, structuredClone(m)]));
  const holds = new Map<string, Recorded>();
  const showtime = (movieId: string, showtimeId: string) =>
    stored.get(movieId)?.showtimes.find((s) => s.id === showtimeId);
  const store: MovieStore = {
    insert: async (movie) => void stored.set(movie.id, structuredClone(movie)),
    get: async (id) => structuredClone(stored.get(id)),
    list: async () => ({ items: [...stored.values()].map((m) => structuredClone(m)) }),
    async replace(id, fields) {
      const movie = stored.get(id);
      if (!movie) return undefined;
      Object.assign(movie, fields);
      return structuredClone(movie);
    },
    async removeUnbooked(movie) {
      const current = stored.get(movie.id);
      if (!current || current.showtimes.some((s) => s.available !== s.seats)) return 'changed';
      stored.delete(movie.id);
      return 'deleted';
    },
    async reserve(hold): Promise<Reservation> {
      const seats = showtime(hold.movieId, hold.showtimeId);
      if (!seats) return 'no-such-showtime';
      const recorded = holds.get(hold.bookingId);
      if (recorded) return recorded.state === 'held' ? 'reserved' : recorded.state;
      const state = seats.available < hold.seats ? 'not-enough-seats' : 'held';
      if (state === 'held') seats.available -= hold.seats;
      holds.set(hold.bookingId, { ...hold, state });
      return state === 'held' ? 'reserved' : state;
    },
    async release(hold) {
      const recorded = holds.get(hold.bookingId);
      if (recorded?.state === 'held') {
        const seats = showtime(recorded.movieId, recorded.showtimeId);
        if (seats) seats.available += recorded.seats;
        recorded.state = 'released';
        return recorded.seats;
      }
      if (!recorded) holds.set(hold.bookingId, { ...hold, state: 'released' });
      return 0;
    },
  };
  return { store, stored, showtime };
}
