import {
  type BookingStatus,
  bookingService,
  bookingsOfUsers,
  type Hold,
  type SagaEvents,
  type SagaPoint,
  type UsersOfBookings,
} from '../../functions/bookings/domain/bookings.js';
import { SEATS_PER_PERSON, seatHolds } from '../../functions/movies/domain/movies.js';
import { DeadlineExceededError, NotFoundError } from '../../functions/shared/errors.js';
import type { FeedEventInput } from '../../functions/shared/log-feed/event.js';
import { memoryBookingStore } from './memory-booking-store.js';
import { memoryMovieStore } from './memory-movie-store.js';

/** How the network between bookings and movies behaves for the next calls. */
export type Link =
  | 'up'
  /** Movies does the work, but the reply never arrives: the caller times out. */
  | 'reply-lost'
  /** The request waits in the queue (movies is down): the caller times out, movies does it later. */
  | 'down';

/**
 * Bookings and movies wired through fakes of the queues between them, with
 * faults: lost replies, an unreachable movies, crashes at saga points,
 * duplicated and reordered deliveries. `settle()` delivers everything queued
 * (in a shuffled order, each twice) and runs the delayed checks, as the
 * deployed system does within seconds. `random` drives the shuffle: a
 * property test passes its own, so a failing run can be replayed. `events`
 * hears the saga's moves and repairs (nothing by default; the metrics test
 * passes the deployed metrics). `ofUsers` answers the users service's
 * questions about a person's bookings.
 */
export function bookingWorld(
  capacity = 10,
  {
    random = Math.random,
    users,
    events = { moved: () => {}, repaired: () => {} },
    reserveAfter,
  }: {
    random?: () => number;
    users?: UsersOfBookings;
    events?: SagaEvents;
    /** Every reserve waits for it first: a create paused between its insert and its reserve. */
    reserveAfter?: Promise<unknown>;
  } = {},
) {
  const movies = memoryMovieStore([
    {
      id: 'm1',
      title: 'Alien',
      rating: 8,
      showtimes: [{ id: 's1', startsAt: '2026-12-24T20:00:00Z', seats: capacity, available: capacity }],
    },
  ]);
  /** The one showtime, live: the store changes it in place. */
  const showtime = movies.showtime('m1', 's1') as { available: number };
  const bookings = memoryBookingStore();
  const feed: FeedEventInput[] = [];
  let link: Link = 'up';
  let crashAt: SagaPoint | undefined;
  let clock = Date.parse('2026-11-22T10:00:00Z');
  const moviesService = seatHolds({
    store: movies.store,
    now: () => clock,
    seatsPerPerson: SEATS_PER_PERSON,
  });
  let n = 0;
  /** Requests sitting in the movies queue: each is a delivery to perform later. */
  const moviesQueue: Array<() => Promise<void>> = [];
  const checks: string[] = [];

  const timeout = (what: string) => new DeadlineExceededError(`${what} did not answer`);
  const call = async <T>(what: string, work: () => Promise<T>): Promise<T> => {
    if (link === 'down') {
      moviesQueue.push(async () => void (await work().catch(() => undefined)));
      throw timeout(what);
    }
    const result = await work();
    if (link === 'reply-lost') throw timeout(what);
    return result;
  };

  const service = bookingService({
    store: bookings.store,
    seats: {
      reserve: async (hold) => {
        await reserveAfter;
        await call('movies.reserveSeats', () => moviesService.reserve(hold));
      },
      release: async (hold) => void (await call('movies.releaseSeats', () => moviesService.release(hold))),
      releaseLater: async (hold: Hold) => {
        moviesQueue.push(async () => {
          const { bookingId } = await moviesService.release(hold);
          await service.seatsReleased(bookingId);
        });
      },
    },
    timer: { checkLater: async (id) => void checks.push(id) },
    feed: { publish: async (event) => void feed.push(event) },
    events,
    newId: () => `b${String(++n).padStart(4, '0')}`,
    now: () => new Date(clock),
    log: { warn: () => {} },
    pendingGraceMs: 12_000,
    resendAfterMs: 30_000,
    closedForMs: 24 * 3_600_000,
    checkpoint: (point) => {
      if (point === crashAt) throw new Error(`crash ${point}`);
    },
  });

  /** A person's bookings for the users service, which knows u1 and u2 unless the test brings its own. */
  const ofUsers = bookingsOfUsers({
    store: bookings.store,
    users: users ?? {
      get: async (id) => {
        if (id !== 'u1' && id !== 'u2') throw new NotFoundError(`user ${id} not found`);
        return { id };
      },
    },
  });

  const HELD: readonly BookingStatus[] = ['pending', 'confirmed'];
  return {
    service,
    ofUsers,
    movies: { store: movies.store, showtime },
    moviesService,
    bookings,
    feed,
    setLink: (value: Link) => {
      link = value;
    },
    crashAt: (point: SagaPoint | undefined) => {
      crashAt = point;
    },
    advance: (ms: number) => {
      clock += ms;
    },
    queued: () => moviesQueue.length,
    /** Movies comes back, queued requests are delivered (shuffled, each twice), delayed checks run, and so on until quiet. */
    async settle() {
      link = 'up';
      crashAt = undefined;
      for (let round = 0; round < 10 && (moviesQueue.length > 0 || checks.length > 0); round++) {
        const deliveries = moviesQueue.splice(0);
        const doubled = [...deliveries, ...deliveries].sort(() => random() - 0.5);
        for (const deliver of doubled) await deliver();
        clock += 13_000;
        for (const id of checks.splice(0)) await service.check(id);
      }
    },
    /** available + seats of pending or confirmed bookings, which must equal the capacity once settled. */
    accounted: () =>
      showtime.available +
      [...bookings.rows.values()].filter((b) => HELD.includes(b.status)).reduce((sum, b) => sum + b.seats, 0),
    statuses: () => [...bookings.rows.values()].map((b) => b.status),
  };
}
