import { describe, expect, it } from 'vitest';
import type { Booking, BookingStatus, BookingStore } from '../../../functions/bookings/domain/bookings.js';
import {
  allPages,
  expectCursorRefused,
  type StoreFactory,
  storePerTest,
  uniqueId,
} from './store-under-test.js';

/**
 * Times of the bookings the suite writes: far in the future, so the deployed
 * reconciler, which repairs bookings stuck since before now, never takes
 * them for its own while the e2e run shares the table with it.
 */
const at = (second: number) => new Date(Date.UTC(2999, 0, 1, 0, 0, second)).toISOString();

/**
 * What every {@link BookingStore} promises, run on the in-memory fake
 * (test/unit/stores) and on the DynamoDB adapter against the deployed table
 * (test/e2e/stores.test.ts): inserts and state transitions are conditional,
 * and a person's bookings are found by the states that concern them.
 */
export function describeBookingStore(name: string, makeStore: StoreFactory<BookingStore>) {
  describe(`booking store: ${name}`, () => {
    const store = storePerTest(makeStore);

    /** A booking not yet stored, created at `at(second)` and last changed then. */
    const bookingOf = (userId: string, status: BookingStatus, second: number, seats = 2): Booking => ({
      id: uniqueId('booking'),
      userId,
      movieId: uniqueId('movie'),
      showtimeId: 'evening',
      seats,
      status,
      createdOn: at(second),
      updatedOn: at(second),
    });

    /** A new booking in the store, created at `at(second)` and last changed then. */
    async function newBooking(
      userId: string,
      status: BookingStatus = 'confirmed',
      second = 0,
    ): Promise<Booking> {
      const booking = bookingOf(userId, status, second);
      expect(await store().insert(booking)).toBe('inserted');
      return booking;
    }

    describe('bookings', () => {
      it('gives back a booking as inserted', async () => {
        const booking = await newBooking(uniqueId('user'), 'pending');
        expect(await store().get(booking.id)).toEqual(booking);
      });

      it('answers undefined for a booking never inserted', async () => {
        expect(await store().get(uniqueId('booking'))).toBeUndefined();
      });

      it('refuses to insert a booking whose id is taken, and keeps the first', async () => {
        const booking = await newBooking(uniqueId('user'), 'pending');
        await expect(store().insert({ ...booking, status: 'confirmed', seats: 9 })).rejects.toThrow();
        expect(await store().get(booking.id)).toEqual(booking);
      });

      it('lists every booking exactly once across pages of at most the limit', async () => {
        const user = uniqueId('user');
        const mine = [await newBooking(user), await newBooking(user), await newBooking(user)].map(
          (b) => b.id,
        );
        const pages = await allPages((cursor) => store().list(2, cursor));
        const ids = pages.flatMap((page) => page.items.map((b) => b.id));
        for (const page of pages) expect(page.items.length).toBeLessThanOrEqual(2);
        expect(ids.filter((id) => mine.includes(id)).sort()).toEqual([...mine].sort());
        expect(new Set(ids).size).toBe(ids.length);
      });

      it('lists the bookings in one state alone, each exactly once across pages of at most the limit', async () => {
        const user = uniqueId('user');
        const cancelled = [await newBooking(user, 'cancelled'), await newBooking(user, 'cancelled')].map(
          (b) => b.id,
        );
        const confirmed = (await newBooking(user, 'confirmed')).id;
        const pages = await allPages((cursor) => store().list(1, cursor, 'cancelled'));
        const listed = pages.flatMap((page) => page.items);
        for (const page of pages) expect(page.items.length).toBeLessThanOrEqual(1);
        expect(listed.every((b) => b.status === 'cancelled')).toBe(true);
        const ids = listed.map((b) => b.id);
        expect(ids.filter((id) => cancelled.includes(id)).sort()).toEqual([...cancelled].sort());
        expect(ids).not.toContain(confirmed);
        expect(new Set(ids).size).toBe(ids.length);
        // Newest first: ids descending (the service's ids are ULIDs, so by creation).
        expect(ids).toEqual([...ids].sort().reverse());
      });

      it('lists a booking under its new state once it moved, and no longer under its old one', async () => {
        const booking = await newBooking(uniqueId('user'), 'pending');
        await store().transition(booking.id, ['pending'], 'confirmed', at(5));
        const listed = async (status: BookingStatus) =>
          (await allPages((cursor) => store().list(100, cursor, status))).flatMap((page) =>
            page.items.map((b) => b.id),
          );
        expect(await listed('confirmed')).toContain(booking.id);
        expect(await listed('pending')).not.toContain(booking.id);
      });
    });

    describe('transitions', () => {
      it('moves a booking in the from state to the new one, stamping when', async () => {
        const booking = await newBooking(uniqueId('user'), 'pending');
        const moved = await store().transition(booking.id, ['pending'], 'confirmed', at(5));
        const expected = { ...booking, status: 'confirmed', updatedOn: at(5) };
        expect(moved).toEqual(expected);
        expect(await store().get(booking.id)).toEqual(expected);
      });

      it('moves a booking in any of several from states', async () => {
        const booking = await newBooking(uniqueId('user'), 'cancelling');
        const moved = await store().transition(booking.id, ['releasing', 'cancelling'], 'cancelled', at(5));
        expect(moved?.status).toBe('cancelled');
      });

      it('refuses to move a booking from a state not named, and changes nothing', async () => {
        const booking = await newBooking(uniqueId('user'), 'cancelled');
        expect(
          await store().transition(booking.id, ['confirmed', 'pending'], 'cancelling', at(5)),
        ).toBeUndefined();
        expect(await store().get(booking.id)).toEqual(booking);
      });

      it('answers undefined for a booking that is not there, and creates none', async () => {
        const id = uniqueId('booking');
        expect(await store().transition(id, ['pending'], 'confirmed', at(5))).toBeUndefined();
        expect(await store().get(id)).toBeUndefined();
      });

      it('lets exactly one of two racing transitions from the same state win', async () => {
        const booking = await newBooking(uniqueId('user'), 'pending');
        const [confirm, abandon] = await Promise.all([
          store().transition(booking.id, ['pending'], 'confirmed', at(5)),
          store().transition(booking.id, ['pending'], 'releasing', at(6)),
        ]);
        const won = confirm ?? abandon;
        expect([confirm, abandon].filter((moved) => moved !== undefined)).toHaveLength(1);
        expect(await store().get(booking.id)).toEqual(won);
      });

      it('deletes a booking still in the named state', async () => {
        const booking = await newBooking(uniqueId('user'), 'pending');
        await store().removeIf(booking.id, 'pending');
        expect(await store().get(booking.id)).toBeUndefined();
      });

      it('keeps a booking that has moved on from the named state', async () => {
        const booking = await newBooking(uniqueId('user'), 'pending');
        await store().transition(booking.id, ['pending'], 'confirmed', at(5));
        await store().removeIf(booking.id, 'pending');
        expect((await store().get(booking.id))?.status).toBe('confirmed');
      });

      it('removing a booking that is not there is no error', async () => {
        const id = uniqueId('booking');
        await expect(store().removeIf(id, 'pending')).resolves.toBeUndefined();
        expect(await store().get(id)).toBeUndefined();
      });
    });

    describe("a person's bookings", () => {
      /** One booking of the person in every state, created a second apart in no order of state; and someone else's. */
      async function everyState(user: string) {
        const byStatus = {
          confirmed: await newBooking(user, 'confirmed', 1),
          releasing: await newBooking(user, 'releasing', 2),
          cancelling: await newBooking(user, 'cancelling', 3),
          cancelled: await newBooking(user, 'cancelled', 4),
          pending: await newBooking(user, 'pending', 5),
          released: await newBooking(user, 'released', 6),
        };
        await newBooking(uniqueId('user'), 'confirmed', 0);
        return byStatus;
      }

      it('pages through pending, confirmed and cancelling ones oldest first, at most the limit a page', async () => {
        const user = uniqueId('user');
        const booked = await everyState(user);
        const pages = await allPages((cursor) => store().pageForUser(user, 2, cursor));
        for (const page of pages) expect(page.items.length).toBeLessThanOrEqual(2);
        expect(pages.flatMap((page) => page.items)).toEqual([
          booked.confirmed,
          booked.cancelling,
          booked.pending,
        ]);
      });

      it('can answer a page short of the limit, even empty, that still goes on: settled ones count towards the limit', async () => {
        const user = uniqueId('user');
        await newBooking(user, 'cancelled', 1);
        await newBooking(user, 'released', 2);
        const confirmed = await newBooking(user, 'confirmed', 3);
        const first = await store().pageForUser(user, 2);
        expect(first.items).toEqual([]);
        expect(first.cursor).toBeDefined();
        expect((await store().pageForUser(user, 2, first.cursor)).items).toEqual([confirmed]);
      });

      it('pages nothing for a person without bookings', async () => {
        expect(await store().pageForUser(uniqueId('user'), 10)).toEqual({ items: [] });
      });

      it("refuses a cursor issued for another person's list, or one it never issued", async () => {
        const owner = uniqueId('user');
        await newBooking(owner, 'confirmed', 1);
        await newBooking(owner, 'confirmed', 2);
        const { cursor } = await store().pageForUser(owner, 1);
        expect(cursor).toBeDefined();
        await expectCursorRefused(store().pageForUser(uniqueId('user'), 1, cursor));
        await expectCursorRefused(store().pageForUser(owner, 1, 'not-a-cursor'));
      });

      it('lists those that hold seats or are giving them back, oldest first', async () => {
        const user = uniqueId('user');
        const booked = await everyState(user);
        expect(await store().listForUser(user)).toEqual([
          booked.confirmed,
          booked.releasing,
          booked.cancelling,
          booked.pending,
        ]);
      });

      it('counts those that hold seats or are giving them back', async () => {
        const user = uniqueId('user');
        await everyState(user);
        expect(await store().countForUser(user)).toBe(4);
        expect(await store().countForUser(uniqueId('user'))).toBe(0);
      });

      it('finds every one of them, settled ones included, for the erasure of a person', async () => {
        const user = uniqueId('user');
        const booked = await everyState(user);
        const ids = (await store().allForUser(user)).map((b) => b.id).sort();
        expect(ids).toEqual(
          Object.values(booked)
            .map((b) => b.id)
            .sort(),
        );
        expect(await store().allForUser(uniqueId('user'))).toEqual([]);
      });
    });

    describe('stuck bookings', () => {
      it('finds bookings in the named states last changed before the given time, and no others', async () => {
        const user = uniqueId('user');
        const early = await newBooking(user, 'pending', 10);
        const late = await newBooking(user, 'pending', 30);
        const otherState = await newBooking(user, 'confirmed', 10);
        const movedLate = await newBooking(user, 'cancelling', 10);
        await store().transition(movedLate.id, ['cancelling'], 'releasing', at(40));
        const mine = new Set([early, late, otherState, movedLate].map((b) => b.id));
        const stuck = (await store().stuck(['pending', 'releasing'], at(20))).items.filter((b) =>
          mine.has(b.id),
        );
        expect(stuck).toEqual([early]);
      });

      it('reads only bookings in flight: settled ones, however many, are never read', async () => {
        const user = uniqueId('user');
        const settled = [];
        for (const [i, status] of (['confirmed', 'cancelled', 'released'] as const).entries())
          for (let n = 0; n < 10; n++) settled.push(await newBooking(user, status, i));
        const releasing = await newBooking(user, 'pending', 1);
        await store().transition(releasing.id, ['pending'], 'releasing', at(2));
        const confirmed = await newBooking(user, 'pending', 1);
        await store().transition(confirmed.id, ['pending'], 'confirmed', at(2));
        const cancelling = await newBooking(user, 'cancelling', 3);

        const found = await store().stuck(['pending', 'releasing', 'cancelling'], at(20));
        const ids = found.items.map((b) => b.id);
        expect(ids).toEqual(expect.arrayContaining([releasing.id, cancelling.id]));
        for (const booking of [...settled, confirmed]) expect(ids).not.toContain(booking.id);
        // Every item read is one answered: nothing settled was read and left out.
        expect(found.read).toBe(found.items.length);
      });
    });

    describe('closed accounts', () => {
      it("refuses a booking of a person whose account is closed, keeping nothing, and takes others'", async () => {
        const [closed, open] = [uniqueId('user'), uniqueId('user')];
        await store().closeForUser(closed, new Date(Date.now() + 60_000));
        const refused = bookingOf(closed, 'pending', 1, 1);
        expect(await store().insert(refused)).toBe('closed');
        expect(await store().get(refused.id)).toBeUndefined();
        expect(await store().allForUser(closed)).toEqual([]);
        await newBooking(open, 'pending', 1);
        expect(await store().countForUser(open)).toBe(1);
      });

      it('closing an account again is harmless, and keeps it closed', async () => {
        const user = uniqueId('user');
        await store().closeForUser(user, new Date(Date.now() + 60_000));
        await store().closeForUser(user, new Date(Date.now() + 120_000));
        const booking = bookingOf(user, 'pending', 1, 1);
        expect(await store().insert(booking)).toBe('closed');
      });

      it('leaves the bookings a person made before their account closed', async () => {
        const user = uniqueId('user');
        const before = await newBooking(user, 'confirmed', 1);
        await store().closeForUser(user, new Date(Date.now() + 60_000));
        expect(await store().get(before.id)).toEqual(before);
      });
    });
  });
}
