import type * as z from 'zod/mini';
import { type Caller, mayAccess } from '../../shared/caller.js';
import { ConflictError, DeadlineExceededError, errorCode, NotFoundError } from '../../shared/errors.js';
import type { FeedPublisher } from '../../shared/log-feed/event.js';
import type { Page } from '../../shared/pagination.js';
import type { bookingSchema, bookingStatus } from '../contract.js';
import type { RateLimiter } from './rate-limit.js';

/** A booking and its saga state (see `bookingStatus` in ../contract.ts for the state diagram). */
export type Booking = z.infer<typeof bookingSchema>;
/** A booking as the routes answer it: the response schema of the domain type. */
export { bookingSchema as booking } from '../contract.js';
export type BookingStatus = z.infer<typeof bookingStatus>;

export type BookingRequest = Pick<Booking, 'userId' | 'movieId' | 'showtimeId' | 'seats'>;

/** Seats held for one booking of one person; the booking id keys every seat operation, so each is idempotent. */
export interface Hold {
  bookingId: string;
  userId: string;
  movieId: string;
  showtimeId: string;
  seats: number;
}

/** What a store answers a booking's insert: recorded, or refused as its person's account is closed. */
export type Inserted = 'inserted' | 'closed';

/** What a store read to answer: the items it gives back, and how many it read for them (its cost). */
export interface Read<T> {
  items: T[];
  read: number;
}

export interface BookingStore {
  /**
   * Records a new booking unless its person's account is closed (its
   * deletion has begun: see `closeForUser`), in one atomic write; a taken
   * id is an error.
   */
  insert(booking: Booking): Promise<Inserted>;
  /** Closes the person's account to new bookings until `until` (an expiry far past their account's end); again is harmless. */
  closeForUser(userId: string, until: Date): Promise<void>;
  get(id: string): Promise<Booking | undefined>;
  /**
   * Everyone's bookings (an admin's list), a page at a time in no
   * particular order; with `status`, only those in it, newest first, read
   * from an index of that state alone (the last page may be empty).
   */
  list(limit: number, cursor?: string, status?: BookingStatus): Promise<Page<Booking>>;
  /** One user's current bookings (pending, confirmed, cancelling), oldest first, a page at a time. */
  pageForUser(userId: string, limit: number, cursor?: string): Promise<Page<Booking>>;
  /** Moves the booking to `to` if it is in one of `from`, in one conditional write; undefined if it was not. */
  transition(
    id: string,
    from: readonly BookingStatus[],
    to: BookingStatus,
    at: string,
  ): Promise<Booking | undefined>;
  /** Deletes the booking if it is still in `status`. */
  removeIf(id: string, status: BookingStatus): Promise<void>;
  /** The user's bookings that hold seats or are giving them back (not the settled ones). */
  listForUser(userId: string): Promise<Booking[]>;
  countForUser(userId: string): Promise<number>;
  /** Every booking of the user, whatever its state (settled ones included). */
  allForUser(userId: string): Promise<Booking[]>;
  /**
   * Bookings in one of `statuses` (states of a saga step in flight: pending,
   * releasing, cancelling) whose state last changed before `before` (ISO
   * time), read from the bookings in flight alone, never the whole table:
   * `read` counts the items read.
   */
  stuck(statuses: readonly InFlightStatus[], before: string): Promise<Read<Booking>>;
}

/** The states in which a saga step is still running for a booking: what the reconciler looks at. */
export type InFlightStatus = Extract<BookingStatus, 'pending' | 'releasing' | 'cancelling'>;

/** What bookings need from the users service: throws NotFound for a missing user. */
export interface UsersOfBookings {
  get(userId: string): Promise<unknown>;
}

/** What bookings need from the movies service; both calls are idempotent per booking id. */
export interface SeatsOfBookings {
  /** Takes the seats (NotFound / Conflict when refused, a timeout when movies is silent). */
  reserve(hold: Hold): Promise<void>;
  /** Gives the seats back, waiting for movies to confirm. */
  release(hold: Hold): Promise<void>;
  /**
   * Queues a durable release: it waits in the movies request queue (retried,
   * then parked in its DLQ) until movies takes it, and its reply comes back
   * through the saga queue to {@link bookingService}'s `seatsReleased`.
   */
  releaseLater(hold: Hold): Promise<void>;
}

/** Has a booking looked at once its create has surely finished or died (a delayed saga-queue message). */
export interface SagaTimer {
  checkLater(bookingId: string): Promise<void>;
}

/**
 * What the saga reports as it goes (its metrics): each booking moved to a
 * state, and how many bookings a repair pass repaired.
 */
export interface SagaEvents {
  moved(to: BookingStatus): void;
  /** Reported by every reconciler pass (0 included, so a quiet pass is seen) and by a delayed check that repaired. */
  repaired(count: number): void;
}

/** Where a test may simulate a crash (the function stopping between two writes); a no-op in production. */
export type SagaPoint = 'after-insert' | 'after-reserve' | 'after-cancelling';

export interface BookingDeps {
  store: BookingStore;
  seats: SeatsOfBookings;
  timer: SagaTimer;
  feed: FeedPublisher;
  events: SagaEvents;
  newId: () => string;
  now: () => Date;
  log: { warn(message: string, data: Record<string, unknown>): void };
  /** A pending booking older than this has no live create behind it (more than the function timeout). */
  pendingGraceMs: number;
  /** A release not confirmed after this long is sent again. */
  resendAfterMs: number;
  /** How long a closed account stays closed to bookings (renewed while its deletion runs). */
  closedForMs: number;
  checkpoint?: (point: SagaPoint) => void;
}

const REFUSALS = new Set(['NotFound', 'Conflict', 'ValidationError']);

/** True when movies answered "no" (nothing was taken, and it recorded so), as opposed to silence or a failure. */
const refused = (error: unknown) => REFUSALS.has(errorCode(error) ?? '');

const holdOf = (booking: Booking): Hold => ({
  bookingId: booking.id,
  userId: booking.userId,
  movieId: booking.movieId,
  showtimeId: booking.showtimeId,
  seats: booking.seats,
});

/** A person's bookings, as the users service reads them over RPC. */
export function bookingsOfUsers({
  store,
  users,
}: {
  store: Pick<BookingStore, 'listForUser' | 'countForUser'>;
  users: UsersOfBookings;
}) {
  return {
    /** The user's bookings; NotFound for someone the users service does not know (rather than an empty list). */
    async listForUser(userId: string): Promise<Booking[]> {
      await users.get(userId);
      return store.listForUser(userId);
    },
    countForUser: (userId: string) => store.countForUser(userId),
  };
}

export function bookingService(deps: BookingDeps) {
  const { store, seats, log } = deps;
  const stamp = () => deps.now().toISOString();
  const checkpoint = (point: SagaPoint) => deps.checkpoint?.(point);

  /** Moves a booking to `to` if it is in one of `from` (one conditional write), reporting the move. */
  async function transition(id: string, from: readonly BookingStatus[], to: BookingStatus) {
    const moved = await store.transition(id, from, to, stamp());
    if (moved) deps.events.moved(to);
    return moved;
  }

  /** Queues the release; if even that fails, the reconciler sends it again later. */
  async function releaseLater(booking: Booking): Promise<void> {
    try {
      await seats.releaseLater(holdOf(booking));
    } catch (error) {
      log.warn('release not queued; the reconciler will send it again', { bookingId: booking.id, error });
    }
  }

  /** pending -> releasing, then the seats are given back (whether or not the reserve ever landed). */
  async function abandon(booking: Booking, reason: string): Promise<Booking | undefined> {
    const moved = await transition(booking.id, ['pending'], 'releasing');
    if (moved) {
      await releaseLater(moved);
      log.warn('booking abandoned; its seats are being given back', { bookingId: booking.id, reason });
    }
    return moved;
  }

  async function repaired(booking: Booking, from: BookingStatus, action: string): Promise<void> {
    await deps.feed.publish({
      type: 'booking.repaired',
      data: { bookingId: booking.id, from, action, movieId: booking.movieId, showtimeId: booking.showtimeId },
    });
  }

  /** Someone else's booking is as absent as a missing one: ids cannot be probed. */
  async function get(id: string, caller: Caller): Promise<Booking> {
    const booking = await store.get(id);
    if (!booking || !mayAccess(caller, booking.userId)) throw new NotFoundError(`booking ${id} not found`);
    return booking;
  }

  return {
    get,
    /** The caller's own bookings (an admin's too: everyone's are in {@link listAll}). */
    list: (caller: Caller, limit: number, cursor?: string) => store.pageForUser(caller.userId, limit, cursor),
    /** Everyone's bookings, whatever their state, or only those in `status` (for admins). */
    listAll: (limit: number, cursor?: string, status?: BookingStatus) => store.list(limit, cursor, status),

    /**
     * Records the booking as pending under an id chosen now (unless its
     * person's account is closed: NotFound), reserves its seats (idempotent
     * per booking id; the one RPC call of the request), then confirms it.
     * The person is who the authorizer let in: their account exists, or was
     * removed so recently that its deletion has closed it first (see
     * {@link closeForUser}). Refused: the pending booking is deleted (nothing
     * was taken). Silence or failure: it moves to releasing and its seats are
     * given back, so a 504 never leaves seats held.
     */
    async create(request: BookingRequest): Promise<Booking> {
      const at = stamp();
      const booking: Booking = {
        id: deps.newId(),
        ...request,
        status: 'pending',
        createdOn: at,
        updatedOn: at,
      };
      if ((await store.insert(booking)) === 'closed')
        throw new NotFoundError(`user ${request.userId} is being deleted`);
      deps.events.moved('pending');
      // Queued beside the reserve rather than before it: the delayed check only matters if this
      // create dies, and a booking whose check was never queued is found by the reconciler.
      const checking = deps.timer.checkLater(booking.id).catch((error: unknown) => {
        log.warn('delayed check not queued; the reconciler will look', { bookingId: booking.id, error });
      });
      checkpoint('after-insert');
      try {
        await seats.reserve(holdOf(booking));
      } catch (error) {
        if (refused(error)) await store.removeIf(booking.id, 'pending');
        else await abandon(booking, error instanceof Error ? error.message : String(error));
        throw error;
      } finally {
        await checking;
      }
      checkpoint('after-reserve');
      const confirmed = await transition(booking.id, ['pending'], 'confirmed');
      // Only the reconciler moves a pending booking elsewhere, once it is older than any live create.
      if (!confirmed)
        throw new DeadlineExceededError(`booking ${booking.id} took too long; its seats are given back`);
      return confirmed;
    },

    /**
     * Cancels a confirmed booking: marks it cancelling, then gives the seats
     * back. `settled` is false when movies could not confirm in time: the
     * release is queued and finishes later (the booking stays `cancelling`
     * until then). Cancelling again is harmless.
     */
    async cancel(id: string, caller: Caller): Promise<{ booking: Booking; settled: boolean }> {
      let booking = await get(id, caller);
      if (booking.status === 'cancelled') return { booking, settled: true };
      if (booking.status === 'confirmed') {
        const moved = await transition(id, ['confirmed'], 'cancelling');
        if (!moved) return this.cancel(id, caller);
        booking = moved;
      } else if (booking.status !== 'cancelling') {
        throw new ConflictError(
          `booking ${id} is ${booking.status}: only a confirmed booking can be cancelled`,
        );
      }
      checkpoint('after-cancelling');
      try {
        await seats.release(holdOf(booking));
      } catch (error) {
        log.warn('release did not answer in time; queued to finish later', { bookingId: id, error });
        await releaseLater(booking);
        return { booking, settled: false };
      }
      return { booking: (await this.seatsReleased(id)) ?? (await get(id, caller)), settled: true };
    },

    /** Movies confirmed the booking's seats are back: cancelling -> cancelled, releasing -> released. */
    async seatsReleased(id: string): Promise<Booking | undefined> {
      return (
        (await transition(id, ['cancelling'], 'cancelled')) ??
        (await transition(id, ['releasing'], 'released'))
      );
    },

    /** The delayed look at one booking: a create that neither confirmed nor gave up by now has died. */
    async check(id: string): Promise<void> {
      const booking = await store.get(id);
      if (booking?.status !== 'pending') return;
      if (await abandon(booking, 'create did not finish')) {
        await repaired(booking, 'pending', 'released seats');
        deps.events.repaired(1);
      }
    },

    /**
     * Repairs whatever the saga left behind: pending bookings with no live
     * create (crash), and releases never confirmed (lost command or reply).
     */
    async reconcile(): Promise<{ repaired: string[]; read: number }> {
      const now = deps.now().getTime();
      const done: string[] = [];
      const pending = await store.stuck(['pending'], new Date(now - deps.pendingGraceMs).toISOString());
      for (const booking of pending.items) {
        if (await abandon(booking, 'found by the reconciler')) {
          await repaired(booking, 'pending', 'released seats');
          done.push(booking.id);
        }
      }
      const unconfirmed = await store.stuck(
        ['releasing', 'cancelling'],
        new Date(now - deps.resendAfterMs).toISOString(),
      );
      for (const booking of unconfirmed.items) {
        await releaseLater(booking);
        await repaired(booking, booking.status, 'sent the release again');
        done.push(booking.id);
      }
      deps.events.repaired(done.length);
      return { repaired: done, read: pending.read + unconfirmed.read };
    },

    /**
     * Closes a person's account to new bookings, for its deletion: from now
     * on every create for them is refused (NotFound), and a create already
     * past its insert ends within LONGEST_CREATE_SECONDS (../contract.ts),
     * before the deletion erases their bookings. Called when a deletion
     * starts and at each of its looks (renewing the expiry); again is harmless.
     */
    async closeForUser(userId: string): Promise<void> {
      await store.closeForUser(userId, new Date(deps.now().getTime() + deps.closedForMs));
    },

    /**
     * Erases a person's bookings, for the deletion of their account (which
     * refuses new creates and waits out running ones first): confirmed ones
     * are cancelled and pending ones (no live create is left behind them)
     * given up, their seats coming back through durable releases; settled
     * ones are deleted. `remaining` counts those still giving seats back:
     * call again until it is 0 (the reconciler resends lost releases).
     */
    async eraseForUser(userId: string): Promise<{ remaining: number }> {
      let remaining = 0;
      for (const booking of await store.allForUser(userId)) {
        if (booking.status === 'cancelled' || booking.status === 'released') {
          await store.removeIf(booking.id, booking.status);
          continue;
        }
        remaining++;
        if (booking.status === 'confirmed') {
          const moved = await transition(booking.id, ['confirmed'], 'cancelling');
          if (moved) await releaseLater(moved);
        } else if (booking.status === 'pending') {
          await abandon(booking, 'its person is being deleted');
        }
      }
      return { remaining };
    },
  };
}

/**
 * The booking writes a person makes over HTTP (create, cancel), each counted
 * against their rate limit before anything else is done: past it, a
 * TooManyRequests (429 with Retry-After) costs no RPC call and no seat write.
 */
export function limitedWrites(service: ReturnType<typeof bookingService>, limiter: RateLimiter) {
  return {
    async create(request: BookingRequest): Promise<Booking> {
      await limiter.take(request.userId);
      return service.create(request);
    },
    async cancel(id: string, caller: Caller): Promise<{ booking: Booking; settled: boolean }> {
      await limiter.take(caller.userId);
      return service.cancel(id, caller);
    },
  };
}
