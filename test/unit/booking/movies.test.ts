import { describe, expect, it } from 'vitest';
import {
  type Movie,
  type MovieStore,
  movieService,
  type SeatStore,
  seatHolds,
} from '../../../functions/movies/domain/movies.js';
import { ConflictError, NotFoundError } from '../../../functions/shared/errors.js';
import { memoryMovieStore } from '../../support/memory-movie-store.js';

const alien: Movie = {
  id: 'M1',
  title: 'Alien',
  rating: 8.5,
  showtimes: [
    { id: 'S1', startsAt: '2026-12-24T20:00:00Z', seats: 10, available: 10 },
    { id: 'S2', startsAt: '2026-12-25T20:00:00Z', seats: 5, available: 5 },
  ],
};

/** Seat holds on the store, at a time before every showtime. */
const seatsOf = (store: SeatStore, seatsPerPerson = 20) =>
  seatHolds({ store, now: () => Date.parse('2026-12-01T00:00:00Z'), seatsPerPerson });

describe('deleting a movie', () => {
  it('deletes a movie no booking holds seats of', async () => {
    const { stored, store } = memoryMovieStore([alien]);
    await movieService({ store, newId: () => 'x' }).remove('M1');
    expect(stored.has('M1')).toBe(false);
  });

  it('answers Conflict while a booking holds seats of any showtime, and keeps the movie', async () => {
    const { stored, store } = memoryMovieStore([alien]);
    const movies = movieService({ store, newId: () => 'x' });
    await seatsOf(store).reserve({
      bookingId: 'B1',
      userId: 'U1',
      movieId: 'M1',
      showtimeId: 'S2',
      seats: 2,
    });
    const removing = movies.remove('M1');
    await expect(removing).rejects.toBeInstanceOf(ConflictError);
    await expect(removing).rejects.toThrow('movie M1 has 2 booked seat(s); cancel its bookings first');
    expect(stored.has('M1')).toBe(true);
  });

  it('deletes again once the seats are given back', async () => {
    const { stored, store } = memoryMovieStore([alien]);
    const movies = movieService({ store, newId: () => 'x' });
    await seatsOf(store).reserve({
      bookingId: 'B1',
      userId: 'U1',
      movieId: 'M1',
      showtimeId: 'S1',
      seats: 3,
    });
    await expect(movies.remove('M1')).rejects.toBeInstanceOf(ConflictError);
    await seatsOf(store).release({
      bookingId: 'B1',
      userId: 'U1',
      movieId: 'M1',
      showtimeId: 'S1',
      seats: 3,
    });
    await movies.remove('M1');
    expect(stored.has('M1')).toBe(false);
  });

  it('refuses when a booking lands between the check and the delete', async () => {
    const { store } = memoryMovieStore([alien]);
    const racing: MovieStore = {
      ...store,
      async removeUnbooked(movie) {
        await seatsOf(store).reserve({
          bookingId: 'B2',
          userId: 'U1',
          movieId: movie.id,
          showtimeId: 'S1',
          seats: 1,
        });
        return store.removeUnbooked(movie);
      },
    };
    await expect(movieService({ store: racing, newId: () => 'x' }).remove('M1')).rejects.toBeInstanceOf(
      ConflictError,
    );
  });

  it('answers NotFound for a movie that is not there', async () => {
    const { store } = memoryMovieStore([]);
    await expect(movieService({ store, newId: () => 'x' }).remove('M9')).rejects.toBeInstanceOf(
      NotFoundError,
    );
  });
});

describe('seat holds', () => {
  const hold = { bookingId: 'B1', userId: 'U1', movieId: 'M1', showtimeId: 'S1', seats: 2 };

  it('refuses a showtime that has started with a Conflict naming it', async () => {
    const { store, showtime } = memoryMovieStore([alien]);
    const atStart = seatHolds({ store, now: () => Date.parse('2026-12-24T20:00:00Z'), seatsPerPerson: 20 });
    const reserving = atStart.reserve(hold);
    await expect(reserving).rejects.toBeInstanceOf(ConflictError);
    await expect(reserving).rejects.toThrow('showtime S1 of movie M1 has started');
    expect(showtime('M1', 'S1')?.available).toBe(10);
  });

  it("refuses a person's booking past the cap with a Conflict naming the cap and the showtime", async () => {
    const { store, showtime } = memoryMovieStore([alien]);
    const seats = seatsOf(store, 3);
    await seats.reserve(hold);
    const reserving = seats.reserve({ ...hold, bookingId: 'B2' });
    await expect(reserving).rejects.toBeInstanceOf(ConflictError);
    await expect(reserving).rejects.toThrow('at most 3 seats per person on showtime S1 of movie M1');
    await seats.reserve({ ...hold, bookingId: 'B3', userId: 'U2' });
    expect(showtime('M1', 'S1')?.available).toBe(6);
  });
});

describe("editing a movie's showtimes", () => {
  it('adds showtimes with their seats free, up to 100 in all', async () => {
    const { store } = memoryMovieStore([alien]);
    let n = 0;
    const movies = movieService({ store, newId: () => `N${++n}` });
    const updated = await movies.addShowtimes('M1', [{ startsAt: '2026-12-26T20:00:00Z', seats: 3 }]);
    expect(updated.showtimes.map((s) => [s.id, s.available])).toEqual([
      ['S1', 10],
      ['S2', 5],
      ['N1', 3],
    ]);
    const many = Array.from({ length: 98 }, () => ({ startsAt: '2026-12-27T20:00:00Z', seats: 1 }));
    await expect(movies.addShowtimes('M1', many)).rejects.toMatchObject({
      issues: [{ field: 'body.showtimes', message: 'a movie has at most 100 showtimes; this one has 3' }],
    });
    await expect(
      movies.addShowtimes('nope', [{ startsAt: '2026-12-26T20:00:00Z', seats: 3 }]),
    ).rejects.toBeInstanceOf(NotFoundError);
  });

  it('removes an unbooked showtime, and refuses one whose seats are booked (Conflict) or that is not there', async () => {
    const { store } = memoryMovieStore([alien]);
    const movies = movieService({ store, newId: () => 'x' });
    await seatsOf(store).reserve({
      bookingId: 'B1',
      userId: 'U1',
      movieId: 'M1',
      showtimeId: 'S2',
      seats: 1,
    });
    expect((await movies.removeShowtime('M1', 'S1')).showtimes.map((s) => s.id)).toEqual(['S2']);
    await expect(movies.removeShowtime('M1', 'S2')).rejects.toBeInstanceOf(ConflictError);
    await expect(movies.removeShowtime('M1', 'S1')).rejects.toBeInstanceOf(NotFoundError);
  });
});
