import type { Hold, Movie, MovieStore, Reservation } from '../../functions/movies/domain/movies.js';
import { titleInitial, titleSearch } from '../../functions/movies/movies-table.js';
import { ConflictError } from '../../functions/shared/errors.js';
import { ANYONE } from '../../functions/shared/pagination.js';
import { memoryPage } from './memory-page.js';

type Recorded = Hold & { state: 'held' | 'released' | 'not-enough-seats' | 'over-the-cap' };

/** Showtimes in the order the table's adapter answers them: by start, then id. */
const inOrder = (movie: Movie): Movie => ({
  ...structuredClone(movie),
  showtimes: [...movie.showtimes]
    .sort((a, b) => a.startsAt.localeCompare(b.startsAt) || a.id.localeCompare(b.id))
    .map((s) => ({ ...s })),
});

/**
 * The movies store's rules in memory, as the DynamoDB stores apply them
 * (test/support/store-suites/movie-store.ts runs the same behaviour on both):
 * seats are taken and given back once per booking (a repeat answers what the
 * first attempt decided, a release before the reserve refuses it), never for
 * a showtime that has started nor beyond a person's cap of seats of one
 * showtime, and a movie is deleted only while no seat of it is held.
 */
export function memoryMovieStore(movies: Movie[]) {
  const stored = new Map(movies.map((m) => [m.id, structuredClone(m)]));
  /** By booking id, as the holds table keeps them. */
  const holds = new Map<string, Recorded>();
  /** Seats each person holds of each showtime. */
  const perPerson = new Map<string, number>();
  const holdKey = (hold: Hold) => hold.bookingId;
  const personKey = (hold: Hold) => `${hold.userId}/${hold.movieId}/${hold.showtimeId}`;
  const showtime = (movieId: string, showtimeId: string) =>
    stored.get(movieId)?.showtimes.find((s) => s.id === showtimeId);
  const store: MovieStore = {
    async insert(movie) {
      if (stored.has(movie.id)) throw new Error(`movie ${movie.id} already exists`);
      stored.set(movie.id, structuredClone(movie));
    },
    async get(id) {
      const movie = stored.get(id);
      return movie ? inOrder(movie) : undefined;
    },
    list: async (limit, cursor, title) =>
      title === undefined
        ? memoryPage(
            {
              items: [...stored.values()].map(inOrder),
              scope: { list: 'memory-movies', caller: ANYONE },
              keyNames: ['id'],
              keyOf: (movie) => ({ id: movie.id }),
              position: (key) => key.id ?? '',
            },
            limit,
            cursor,
          )
        : // The by-title index: the movies whose lower-cased title starts with `title`, in that order.
          memoryPage(
            {
              items: [...stored.values()].filter((m) => titleSearch(m.title).startsWith(title)).map(inOrder),
              scope: { list: `memory-movies?title=${title}`, caller: ANYONE },
              keyNames: ['id', 'titleInitial', 'titleSearch'],
              keyOf: (movie) => ({
                id: movie.id,
                titleInitial: titleInitial(movie.title),
                titleSearch: titleSearch(movie.title),
              }),
              position: (key) => `${key.titleSearch}\u0000${key.id}`,
            },
            limit,
            cursor,
          ),
    async replace(id, { title, director, rating }) {
      const movie = stored.get(id);
      if (!movie) return undefined;
      movie.title = title;
      movie.rating = rating;
      if (director === undefined) delete movie.director;
      else movie.director = director;
      return inOrder(movie);
    },
    async addShowtimes(id, showtimes) {
      const movie = stored.get(id);
      if (!movie) return undefined;
      movie.showtimes.push(...showtimes.map((s) => ({ ...s })));
      return inOrder(movie);
    },
    async removeShowtime(id, showtimeId) {
      const movie = stored.get(id);
      const seats = showtime(id, showtimeId);
      if (!movie || !seats) return 'missing';
      if (seats.available !== seats.seats) return 'booked';
      movie.showtimes = movie.showtimes.filter((s) => s.id !== showtimeId);
      return 'removed';
    },
    async removeUnbooked(movie) {
      // As the table's condition: every showtime of the movie as read still has all its seats.
      const unbooked =
        stored.has(movie.id) && movie.showtimes.every((s) => showtime(movie.id, s.id)?.available === s.seats);
      if (!unbooked) return 'changed';
      stored.delete(movie.id);
      return 'deleted';
    },
    async reserve(hold, { now, seatsPerPerson }): Promise<Reservation> {
      const recorded = holds.get(holdKey(hold));
      if (recorded) return recorded.state === 'held' ? 'reserved' : recorded.state;
      const seats = showtime(hold.movieId, hold.showtimeId);
      if (!seats) return 'no-such-showtime';
      if (Date.parse(seats.startsAt) <= now) return 'started';
      const held = perPerson.get(personKey(hold)) ?? 0;
      const state =
        seats.available < hold.seats
          ? 'not-enough-seats'
          : held + hold.seats > seatsPerPerson
            ? 'over-the-cap'
            : 'held';
      if (state === 'held') {
        seats.available -= hold.seats;
        perPerson.set(personKey(hold), held + hold.seats);
      }
      holds.set(holdKey(hold), { ...hold, state });
      return state === 'held' ? 'reserved' : state;
    },
    async release(hold) {
      // A deleted movie has nothing to give back to.
      if (!stored.has(hold.movieId)) return 0;
      const recorded = holds.get(holdKey(hold));
      if (recorded?.state === 'held') {
        if (
          recorded.seats !== hold.seats ||
          recorded.showtimeId !== hold.showtimeId ||
          recorded.movieId !== hold.movieId ||
          recorded.userId !== hold.userId
        ) {
          throw new ConflictError(`booking ${hold.bookingId} holds other seats than the release names`);
        }
        const seats = showtime(recorded.movieId, recorded.showtimeId);
        if (seats) seats.available += recorded.seats;
        perPerson.set(personKey(hold), Math.max(0, (perPerson.get(personKey(hold)) ?? 0) - recorded.seats));
        recorded.state = 'released';
        return recorded.seats;
      }
      if (!recorded) holds.set(holdKey(hold), { ...hold, state: 'released' });
      return 0;
    },
  };
  return { store, stored, showtime };
}
