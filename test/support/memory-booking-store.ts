import type { Booking, BookingStatus, BookingStore } from '../../functions/bookings/domain/bookings.js';
import { ANYONE } from '../../functions/shared/pagination.js';
import { memoryPage } from './memory-page.js';

/** States in which a booking still concerns its user: it holds seats or is giving them back. */
const ACTIVE: readonly BookingStatus[] = ['pending', 'confirmed', 'cancelling', 'releasing'];
/** What a person's own list shows: bookings they made that are not cancelled. */
const LISTED: readonly BookingStatus[] = ['pending', 'confirmed', 'cancelling'];

const byCreation = (a: Booking, b: Booking) => a.createdOn.localeCompare(b.createdOn);

/**
 * The bookings store's rules in memory, as the DynamoDB store applies them
 * (test/support/store-suites/booking-store.ts runs the same behaviour on
 * both): conditional inserts and transitions, and a person's bookings read
 * from their index oldest first, paged as DynamoDB pages a filtered query.
 */
export function memoryBookingStore() {
  const rows = new Map<string, Booking>();
  const mine = (userId: string, statuses: readonly BookingStatus[]) =>
    [...rows.values()].filter((b) => b.userId === userId && statuses.includes(b.status));
  const store: BookingStore = {
    async insert(booking) {
      if (rows.has(booking.id)) throw new Error(`booking ${booking.id} already exists`);
      rows.set(booking.id, { ...booking });
    },
    get: async (id) => (rows.has(id) ? { ...(rows.get(id) as Booking) } : undefined),
    list: async (limit, cursor) =>
      memoryPage(
        {
          items: [...rows.values()].map((b) => ({ ...b })),
          scope: { list: 'memory-bookings', caller: ANYONE },
          keyNames: ['id'],
          keyOf: (b) => ({ id: b.id }),
          position: (key) => key.id ?? '',
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
      return { ...row };
    },
    async removeIf(id, status) {
      if (rows.get(id)?.status === status) rows.delete(id);
    },
    listForUser: async (userId) =>
      mine(userId, ACTIVE)
        .sort(byCreation)
        .map((b) => ({ ...b })),
    countForUser: async (userId) => mine(userId, ACTIVE).length,
    allForUser: async (userId) =>
      [...rows.values()].filter((b) => b.userId === userId).map((b) => ({ ...b })),
    stuck: async (statuses, before) =>
      [...rows.values()]
        .filter((b) => statuses.includes(b.status) && b.updatedOn < before)
        .map((b) => ({ ...b })),
  };
  return { store, rows };
}
