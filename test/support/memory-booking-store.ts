import type {
  Booking,
  BookingStatus,
  BookingStore,
  InFlightStatus,
} from '../../functions/bookings/domain/bookings.js';
import { ANYONE } from '../../functions/shared/pagination.js';
import { memoryPage } from './memory-page.js';

/** States in which a booking still concerns its user: it holds seats or is giving them back. */
const ACTIVE: readonly BookingStatus[] = ['pending', 'confirmed', 'cancelling', 'releasing'];
/** What a person's own list shows: bookings they made that are not cancelled. */
const LISTED: readonly BookingStatus[] = ['pending', 'confirmed', 'cancelling'];

/** States that put a booking in the sparse in-flight index, as the DynamoDB store does. */
const IN_FLIGHT: readonly BookingStatus[] = ['pending', 'releasing', 'cancelling'];

const byCreation = (a: Booking, b: Booking) => a.createdOn.localeCompare(b.createdOn);

/**
 * The bookings store's rules in memory, as the DynamoDB store applies them
 * (test/support/store-suites/booking-store.ts runs the same behaviour on
 * both): inserts conditional on the id and on the person's account not being
 * closed, conditional transitions, a person's bookings read from their index
 * oldest first, paged as DynamoDB pages a filtered query, and stuck bookings
 * read from the sparse index of those in flight (`inFlight`, the ids of
 * bookings in a state that puts them there), counting what was read.
 */
export function memoryBookingStore() {
  const rows = new Map<string, Booking>();
  /** The sparse in-flight index: ids of the bookings in flight, kept by every write as DynamoDB keeps a GSI. */
  const inFlight = new Set<string>();
  /** Closed accounts: person -> until when. */
  const closed = new Map<string, Date>();
  const index = (booking: Booking) => {
    if (IN_FLIGHT.includes(booking.status)) inFlight.add(booking.id);
    else inFlight.delete(booking.id);
  };
  const mine = (userId: string, statuses: readonly BookingStatus[]) =>
    [...rows.values()].filter((b) => b.userId === userId && statuses.includes(b.status));
  const store: BookingStore = {
    async insert(booking) {
      if (rows.has(booking.id)) throw new Error(`booking ${booking.id} already exists`);
      if (closed.has(booking.userId)) return 'closed';
      rows.set(booking.id, { ...booking });
      index(booking);
      return 'inserted';
    },
    async closeForUser(userId, until) {
      closed.set(userId, until);
    },
    get: async (id) => (rows.has(id) ? { ...(rows.get(id) as Booking) } : undefined),
    list: async (limit, cursor, status) =>
      memoryPage(
        {
          items: [...rows.values()]
            .filter((b) => status === undefined || b.status === status)
            .map((b) => ({ ...b })),
          scope: { list: 'memory-bookings', caller: ANYONE },
          keyNames: ['id'],
          keyOf: (b) => ({ id: b.id }),
          position: (key) => key.id ?? '',
          // One state's bookings come from the by-status index, newest (highest ULID) first.
          descending: status !== undefined,
        },
        limit,
        cursor,
      ),
    pageForUser: async (userId, limit, cursor) =>
      memoryPage(
        {
          items: [...rows.values()].filter((b) => b.userId === userId).map((b) => ({ ...b })),
          scope: { list: 'memory-bookings/by-user', caller: userId, ownerKey: 'userId' },
          keyNames: ['id', 'userId', 'createdOn'],
          keyOf: (b) => ({ id: b.id, userId: b.userId, createdOn: b.createdOn }),
          position: (key) => `${key.createdOn}#${key.id}`,
          keep: (b) => LISTED.includes(b.status),
        },
        limit,
        cursor,
      ),
    async transition(id, from, to, at) {
      const row = rows.get(id);
      if (!row || !from.includes(row.status)) return undefined;
      row.status = to;
      row.updatedOn = at;
      index(row);
      return { ...row };
    },
    async removeIf(id, status) {
      if (rows.get(id)?.status === status) {
        rows.delete(id);
        inFlight.delete(id);
      }
    },
    listForUser: async (userId) =>
      mine(userId, ACTIVE)
        .sort(byCreation)
        .map((b) => ({ ...b })),
    countForUser: async (userId) => mine(userId, ACTIVE).length,
    allForUser: async (userId) =>
      [...rows.values()].filter((b) => b.userId === userId).map((b) => ({ ...b })),
    // As the DynamoDB store's queries of the index: keyed by state, and by time of the last change.
    async stuck(statuses, before) {
      const items = [...inFlight]
        .map((id) => rows.get(id) as Booking)
        .filter((b) => statuses.includes(b.status as InFlightStatus) && b.updatedOn < before);
      reads.stuck += items.length;
      return { items: items.map((b) => ({ ...b })), read: items.length };
    },
  };
  /** Items read by `stuck` so far (the reconciler's reads). */
  const reads = { stuck: 0 };
  return { store, rows, inFlight, closed, reads };
}
