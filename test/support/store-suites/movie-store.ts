import { describe, expect, it } from 'vitest';
import type { Hold, HoldRules, Movie, MovieStore } from '../../../functions/movies/domain/movies.js';
import { ConflictError } from '../../../functions/shared/errors.js';
import { ANYONE, listCursors } from '../../../functions/shared/pagination.js';
import {
  allPages,
  expectCursorRefused,
  type StoreFactory,
  storePerTest,
  uniqueId,
} from './store-under-test.js';

/**
 * What every {@link MovieStore} promises, run on the in-memory fake
 * (test/unit/stores) and on the DynamoDB adapter against the deployed table
 * (test/e2e/stores.test.ts): movies kept as written, and seat holds taken
 * and given back once per booking, never more seats than a showtime has.
 */
export function describeMovieStore(name: string, makeStore: StoreFactory<MovieStore>) {
  describe(`movie store: ${name}`, () => {
    const store = storePerTest(makeStore);

    /** A new movie in the store: showtime `evening` (and `late`), each with its seats free. */
    async function newMovie({ seats = 10, lateSeats = 5 } = {}): Promise<Movie> {
      const movie: Movie = {
        id: uniqueId('movie'),
        title: 'Alien',
        director: 'Ridley Scott',
        rating: 8.5,
        showtimes: [
          { id: 'evening', startsAt: '2036-12-24T20:00:00Z', seats, available: seats },
          { id: 'late', startsAt: '2036-12-24T23:00:00Z', seats: lateSeats, available: lateSeats },
        ],
      };
      await store().insert(movie);
      return movie;
    }

    /** A hold of a new booking, by a person of its own unless one is named. */
    const holdOn = (
      movie: Movie,
      seats: number,
      showtimeId = 'evening',
      userId = uniqueId('person'),
    ): Hold => ({
      bookingId: uniqueId('booking'),
      userId,
      movieId: movie.id,
      showtimeId,
      seats,
    });

    /** The rules of a request made now (long before the showtimes start), with a per-person cap. */
    const rules = (seatsPerPerson = 20): HoldRules => ({ now: Date.now(), seatsPerPerson });

    /** Seats left of one showtime, as the store now answers. */
    async function available(movie: Movie, showtimeId = 'evening'): Promise<number | undefined> {
      return (await store().get(movie.id))?.showtimes.find((s) => s.id === showtimeId)?.available;
    }

    describe('movies', () => {
      it('gives back a movie as inserted, its showtimes in order of start', async () => {
        const movie: Movie = {
          id: uniqueId('movie'),
          title: 'Heat',
          rating: 8,
          showtimes: [
            { id: 'second', startsAt: '2036-12-25T20:00:00Z', seats: 3, available: 3 },
            { id: 'first', startsAt: '2036-12-24T20:00:00Z', seats: 4, available: 4 },
          ],
        };
        await store().insert(movie);
        expect(await store().get(movie.id)).toEqual({
          ...movie,
          showtimes: [movie.showtimes[1], movie.showtimes[0]],
        });
      });

      it('answers undefined for a movie never inserted', async () => {
        expect(await store().get(uniqueId('movie'))).toBeUndefined();
      });

      it('refuses to insert a movie whose id is taken, and keeps the first', async () => {
        const movie = await newMovie();
        await expect(store().insert({ ...movie, title: 'Aliens', showtimes: [] })).rejects.toThrow();
        expect(await store().get(movie.id)).toEqual(movie);
      });

      it('replaces title, rating and director, keeping the showtimes and their seats left', async () => {
        const movie = await newMovie();
        expect(await store().reserve(holdOn(movie, 3), rules())).toBe('reserved');
        const replaced = await store().replace(movie.id, {
          title: 'Aliens',
          director: 'James Cameron',
          rating: 8.4,
        });
        const expected = {
          ...movie,
          title: 'Aliens',
          director: 'James Cameron',
          rating: 8.4,
          showtimes: movie.showtimes.map((s) => (s.id === 'evening' ? { ...s, available: 7 } : s)),
        };
        expect(replaced).toEqual(expected);
        expect(await store().get(movie.id)).toEqual(expected);
      });

      it('removes the director when the replacement has none', async () => {
        const movie = await newMovie();
        await store().replace(movie.id, { title: 'Alien', rating: 8.5 });
        expect(await store().get(movie.id)).not.toHaveProperty('director');
      });

      it('answers undefined when replacing a movie that is not there, and creates none', async () => {
        const id = uniqueId('movie');
        expect(await store().replace(id, { title: 'Ghost', rating: 1 })).toBeUndefined();
        expect(await store().get(id)).toBeUndefined();
      });

      it('lists every movie exactly once across pages of at most the limit', async () => {
        const mine = [await newMovie(), await newMovie(), await newMovie()].map((m) => m.id);
        const pages = await allPages((cursor) => store().list(2, cursor));
        const ids = pages.flatMap((page) => page.items.map((m) => m.id));
        for (const page of pages) expect(page.items.length).toBeLessThanOrEqual(2);
        // A page with room to spare ends the list.
        for (const page of pages.filter((p) => p.items.length < 2)) expect(page.cursor).toBeUndefined();
        expect(ids.filter((id) => mine.includes(id)).sort()).toEqual([...mine].sort());
        expect(new Set(ids).size).toBe(ids.length);
      });

      it('lists the movies whose title starts with a text, in any case, in title order, each once across pages', async () => {
        const word = uniqueId('Word');
        const titled = async (title: string) => {
          const movie = { ...(await newMovie()), title };
          await store().replace(movie.id, { title, rating: 7, director: 'X' });
          return movie;
        };
        const returns = await titled(`${word} Returns`);
        const begins = await titled(`${word.toUpperCase()} begins`);
        const inside = await titled(`The ${word} Inside`);
        const other = await newMovie();
        const pages = await allPages((cursor) => store().list(1, cursor, word.toLowerCase()));
        for (const page of pages) expect(page.items.length).toBeLessThanOrEqual(1);
        const ids = pages.flatMap((page) => page.items.map((m) => m.id));
        // "… begins" before "… returns": the lower-cased titles' order.
        expect(ids).toEqual([begins.id, returns.id]);
        expect(ids).not.toContain(inside.id);
        expect(ids).not.toContain(other.id);
      });

      it('lists movies without their booking records', async () => {
        const movie = await newMovie();
        await store().reserve(holdOn(movie, 1), rules());
        const pages = await allPages((cursor) => store().list(50, cursor));
        const listed = pages.flatMap((page) => page.items).find((m) => m.id === movie.id);
        expect(listed).toEqual({
          ...movie,
          showtimes: movie.showtimes.map((s) => (s.id === 'evening' ? { ...s, available: 9 } : s)),
        });
      });

      it('refuses a cursor it did not issue', async () => {
        await expectCursorRefused(store().list(10, 'not-a-cursor'));
        const elsewhere = listCursors('a secret of some other deployment, not this one');
        await expectCursorRefused(
          store().list(10, elsewhere.seal({ list: 'tasks', caller: ANYONE }, { id: 'x' })),
        );
      });

      it('refuses its own cursor once altered', async () => {
        await newMovie();
        await newMovie();
        const cursor = (await store().list(1)).cursor ?? '';
        expect(cursor).not.toBe('');
        // A character inside the text (not the last, whose low bits may be padding) changes the bytes.
        const altered = `${cursor.slice(0, 20)}${cursor[20] === 'A' ? 'B' : 'A'}${cursor.slice(21)}`;
        await expectCursorRefused(store().list(10, altered));
      });
    });

    describe('seat holds', () => {
      it("reserving takes the booking's seats from its showtime only", async () => {
        const movie = await newMovie({ seats: 10, lateSeats: 5 });
        expect(await store().reserve(holdOn(movie, 3), rules())).toBe('reserved');
        expect(await available(movie, 'evening')).toBe(7);
        expect(await available(movie, 'late')).toBe(5);
      });

      it('answers a repeated reserve as reserved and takes no more seats', async () => {
        const movie = await newMovie({ seats: 10 });
        const hold = holdOn(movie, 3);
        expect(await store().reserve(hold, rules())).toBe('reserved');
        expect(await store().reserve(hold, rules())).toBe('reserved');
        expect(await available(movie)).toBe(7);
      });

      it('takes the seats once when the same reserve arrives several times at once', async () => {
        const movie = await newMovie({ seats: 10 });
        const hold = holdOn(movie, 2);
        const outcomes = await Promise.all([1, 2, 3, 4].map(() => store().reserve(hold, rules())));
        expect(outcomes).toEqual(['reserved', 'reserved', 'reserved', 'reserved']);
        expect(await available(movie)).toBe(8);
      });

      it('reserves the last seats exactly, then refuses the next booking', async () => {
        const movie = await newMovie({ seats: 4 });
        expect(await store().reserve(holdOn(movie, 4), rules())).toBe('reserved');
        expect(await available(movie)).toBe(0);
        expect(await store().reserve(holdOn(movie, 1), rules())).toBe('not-enough-seats');
        expect(await available(movie)).toBe(0);
      });

      it('refuses more seats than are left and takes none', async () => {
        const movie = await newMovie({ seats: 4 });
        expect(await store().reserve(holdOn(movie, 3), rules())).toBe('reserved');
        expect(await store().reserve(holdOn(movie, 2), rules())).toBe('not-enough-seats');
        expect(await available(movie)).toBe(1);
      });

      it('keeps refusing a refused booking after seats come back', async () => {
        const movie = await newMovie({ seats: 2 });
        const first = holdOn(movie, 2);
        const refused = holdOn(movie, 1);
        await store().reserve(first, rules());
        expect(await store().reserve(refused, rules())).toBe('not-enough-seats');
        expect(await store().release(first, rules())).toBe(2);
        expect(await store().reserve(refused, rules())).toBe('not-enough-seats');
        expect(await available(movie)).toBe(2);
      });

      it('answers no-such-showtime for an unknown showtime or movie', async () => {
        const movie = await newMovie();
        expect(await store().reserve(holdOn(movie, 1, 'matinee'), rules())).toBe('no-such-showtime');
        expect(await store().reserve({ ...holdOn(movie, 1), movieId: uniqueId('movie') }, rules())).toBe(
          'no-such-showtime',
        );
        expect(await store().get(movie.id)).toEqual(movie);
      });

      it('never sells more seats than the showtime has, however many book at once', async () => {
        const movie = await newMovie({ seats: 5 });
        const outcomes = await Promise.all(
          Array.from({ length: 8 }, () => store().reserve(holdOn(movie, 1), rules())),
        );
        expect(outcomes.filter((o) => o === 'reserved')).toHaveLength(5);
        expect(outcomes.filter((o) => o === 'not-enough-seats')).toHaveLength(3);
        expect(await available(movie)).toBe(0);
      });

      it("gives a booking's seats back once, answering how many", async () => {
        const movie = await newMovie({ seats: 10 });
        const hold = holdOn(movie, 3);
        await store().reserve(hold, rules());
        expect(await store().release(hold, rules())).toBe(3);
        expect(await available(movie)).toBe(10);
        expect(await store().release(hold, rules())).toBe(0);
        expect(await available(movie)).toBe(10);
      });

      it('refuses a reserve after the booking was released', async () => {
        const movie = await newMovie({ seats: 10 });
        const hold = holdOn(movie, 3);
        await store().reserve(hold, rules());
        await store().release(hold, rules());
        expect(await store().reserve(hold, rules())).toBe('released');
        expect(await available(movie)).toBe(10);
      });

      it('lets a release that arrives first refuse the reserve that follows', async () => {
        const movie = await newMovie({ seats: 10 });
        const hold = holdOn(movie, 3);
        expect(await store().release(hold, rules())).toBe(0);
        expect(await store().reserve(hold, rules())).toBe('released');
        expect(await available(movie)).toBe(10);
      });

      it('gives nothing back for a refused booking', async () => {
        const movie = await newMovie({ seats: 1 });
        const refused = holdOn(movie, 2);
        expect(await store().reserve(refused, rules())).toBe('not-enough-seats');
        expect(await store().release(refused, rules())).toBe(0);
        expect(await available(movie)).toBe(1);
      });

      it('refuses a release naming other seats than the booking holds, keeping them held', async () => {
        const movie = await newMovie({ seats: 10, lateSeats: 5 });
        const hold = holdOn(movie, 3);
        await store().reserve(hold, rules());
        await expect(store().release({ ...hold, seats: 2 }, rules())).rejects.toBeInstanceOf(ConflictError);
        await expect(store().release({ ...hold, showtimeId: 'late' }, rules())).rejects.toBeInstanceOf(
          ConflictError,
        );
        expect(await available(movie, 'evening')).toBe(7);
        expect(await available(movie, 'late')).toBe(5);
        expect(await store().release(hold, rules())).toBe(3);
      });

      it('gives nothing back for a movie that is gone', async () => {
        const movie = await newMovie();
        expect(await store().removeUnbooked(movie)).toBe('deleted');
        expect(await store().release(holdOn(movie, 2), rules())).toBe(0);
        expect(await store().get(movie.id)).toBeUndefined();
      });

      it('refuses a showtime that has started, takes nothing, and still sells a later one', async () => {
        const movie = await newMovie({ seats: 10, lateSeats: 5 });
        const atEveningStart = { now: Date.parse('2036-12-24T20:00:00Z'), seatsPerPerson: 20 };
        expect(await store().reserve(holdOn(movie, 2), atEveningStart)).toBe('started');
        expect(await store().reserve(holdOn(movie, 2, 'late'), atEveningStart)).toBe('reserved');
        expect(await available(movie, 'evening')).toBe(10);
        expect(await available(movie, 'late')).toBe(3);
      });

      it('answers a reserve repeated after the start as it first did', async () => {
        const movie = await newMovie({ seats: 10 });
        const hold = holdOn(movie, 2);
        expect(await store().reserve(hold, rules())).toBe('reserved');
        const afterStart = { now: Date.parse('2036-12-25T00:00:00Z'), seatsPerPerson: 20 };
        expect(await store().reserve(hold, afterStart)).toBe('reserved');
        expect(await available(movie)).toBe(8);
      });

      it("refuses a person more seats of one showtime than the cap, over all their bookings, and no one else's", async () => {
        const movie = await newMovie({ seats: 20, lateSeats: 10 });
        const ann = uniqueId('person');
        expect(await store().reserve(holdOn(movie, 3, 'evening', ann), rules(5))).toBe('reserved');
        expect(await store().reserve(holdOn(movie, 3, 'evening', ann), rules(5))).toBe('over-the-cap');
        expect(await store().reserve(holdOn(movie, 2, 'evening', ann), rules(5))).toBe('reserved');
        expect(await store().reserve(holdOn(movie, 1, 'evening', ann), rules(5))).toBe('over-the-cap');
        expect(await store().reserve(holdOn(movie, 5, 'late', ann), rules(5))).toBe('reserved');
        expect(await store().reserve(holdOn(movie, 5, 'evening'), rules(5))).toBe('reserved');
        expect(await available(movie, 'evening')).toBe(10);
        expect(await available(movie, 'late')).toBe(5);
      });

      it('refuses one booking of more seats than the cap', async () => {
        const movie = await newMovie({ seats: 10 });
        expect(await store().reserve(holdOn(movie, 5), rules(4))).toBe('over-the-cap');
        expect(await available(movie)).toBe(10);
      });

      it('gives a person room again once their seats are back, and keeps refusing a booking refused for the cap', async () => {
        const movie = await newMovie({ seats: 10 });
        const ann = uniqueId('person');
        const first = holdOn(movie, 4, 'evening', ann);
        const refused = holdOn(movie, 1, 'evening', ann);
        expect(await store().reserve(first, rules(4))).toBe('reserved');
        expect(await store().reserve(refused, rules(4))).toBe('over-the-cap');
        expect(await store().release(first, rules())).toBe(4);
        expect(await store().reserve(refused, rules(4))).toBe('over-the-cap');
        expect(await store().reserve(holdOn(movie, 4, 'evening', ann), rules(4))).toBe('reserved');
        expect(await available(movie)).toBe(6);
      });

      it('never lets one person past the cap, however many of their bookings race', async () => {
        const movie = await newMovie({ seats: 10 });
        const ann = uniqueId('person');
        const outcomes = await Promise.all(
          Array.from({ length: 8 }, () => store().reserve(holdOn(movie, 1, 'evening', ann), rules(5))),
        );
        expect(outcomes.filter((o) => o === 'reserved')).toHaveLength(5);
        expect(outcomes.filter((o) => o === 'over-the-cap')).toHaveLength(3);
        expect(await available(movie)).toBe(5);
      });

      it('refuses a release naming another person than the booking, keeping the seats held', async () => {
        const movie = await newMovie({ seats: 10 });
        const hold = holdOn(movie, 3);
        await store().reserve(hold, rules());
        await expect(
          store().release({ ...hold, userId: uniqueId('person') }, rules()),
        ).rejects.toBeInstanceOf(ConflictError);
        expect(await available(movie)).toBe(7);
      });

      it('keeps seats left plus seats held equal to the capacity through reserves, repeats and releases', async () => {
        const capacity = 6;
        const movie = await newMovie({ seats: capacity });
        const [a, b, c, d] = [2, 3, 2, 1].map((seats) => holdOn(movie, seats)) as [Hold, Hold, Hold, Hold];
        /** Seats the store said it holds, by booking. */
        const held = new Map<string, number>();
        const reserve = async (hold: Hold) => {
          if ((await store().reserve(hold, rules())) === 'reserved') held.set(hold.bookingId, hold.seats);
        };
        const release = async (hold: Hold) => {
          if ((await store().release(hold, rules())) > 0) held.delete(hold.bookingId);
        };
        const steps: Array<[string, () => Promise<void>]> = [
          ['reserve a', () => reserve(a)],
          ['reserve b', () => reserve(b)],
          ['reserve c, too many', () => reserve(c)],
          ['repeat b', () => reserve(b)],
          ['release a', () => release(a)],
          ['repeat release a', () => release(a)],
          ['release d before its reserve', () => release(d)],
          ['reserve d, released', () => reserve(d)],
          ['reserve c again, refused for good', () => reserve(c)],
          ['release b', () => release(b)],
        ];
        for (const [step, run] of steps) {
          await run();
          const heldSeats = [...held.values()].reduce((sum, seats) => sum + seats, 0);
          expect({ step, total: ((await available(movie)) ?? Number.NaN) + heldSeats }).toEqual({
            step,
            total: capacity,
          });
        }
        expect(held.size).toBe(0);
        expect(await available(movie)).toBe(capacity);
      });
    });

    describe('showtimes', () => {
      it('adds showtimes with all their seats free, keeping the others as they were', async () => {
        const movie = await newMovie();
        await store().reserve(holdOn(movie, 2), rules());
        const added = { id: uniqueId('showtime'), startsAt: '2036-12-25T18:00:00Z', seats: 7, available: 7 };
        const updated = await store().addShowtimes(movie.id, [added]);
        expect(updated?.showtimes.map((s) => [s.id, s.available])).toEqual([
          ['evening', 8],
          ['late', 5],
          [added.id, 7],
        ]);
        expect(await store().get(movie.id)).toEqual(updated);
      });

      it('answers undefined when adding to a movie that is not there, and creates none', async () => {
        const id = uniqueId('movie');
        const added = { id: 'x', startsAt: '2036-12-25T18:00:00Z', seats: 7, available: 7 };
        expect(await store().addShowtimes(id, [added])).toBeUndefined();
        expect(await store().get(id)).toBeUndefined();
      });

      it('removes a showtime none of whose seats is held, and keeps one that has some held', async () => {
        const movie = await newMovie();
        await store().reserve(holdOn(movie, 1, 'late'), rules());
        expect(await store().removeShowtime(movie.id, 'evening')).toBe('removed');
        expect(await store().removeShowtime(movie.id, 'late')).toBe('booked');
        expect((await store().get(movie.id))?.showtimes.map((s) => s.id)).toEqual(['late']);
        expect(await store().removeShowtime(movie.id, 'evening')).toBe('missing');
        expect(await store().removeShowtime(uniqueId('movie'), 'evening')).toBe('missing');
      });
    });

    describe('deleting', () => {
      it('deletes a movie none of whose seats are held', async () => {
        const movie = await newMovie();
        expect(await store().removeUnbooked(movie)).toBe('deleted');
        expect(await store().get(movie.id)).toBeUndefined();
      });

      it('refuses while a seat of any showtime is held, and keeps the movie', async () => {
        const movie = await newMovie();
        await store().reserve(holdOn(movie, 1, 'late'), rules());
        expect(await store().removeUnbooked(movie)).toBe('changed');
        expect(await available(movie, 'late')).toBe(4);
      });

      it('deletes once the held seats are back', async () => {
        const movie = await newMovie();
        const hold = holdOn(movie, 2);
        await store().reserve(hold, rules());
        await store().release(hold, rules());
        expect(await store().removeUnbooked(movie)).toBe('deleted');
        expect(await store().get(movie.id)).toBeUndefined();
      });

      it('answers changed for a movie that is already gone', async () => {
        const movie = await newMovie();
        await store().removeUnbooked(movie);
        expect(await store().removeUnbooked(movie)).toBe('changed');
      });
    });
  });
}
