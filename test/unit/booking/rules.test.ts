import { describe, expect, it } from 'vitest';
import {
  type Booking,
  type BookingStore,
  bookingService,
} from '../../../functions/bookings/domain/bookings.js';
import { ConflictError, NotFoundError } from '../../../functions/shared/errors.js';
import { type User, userService } from '../../../functions/users/domain/users.js';

function fakes(options: { failInsert?: boolean; seatsLeft?: number; knownUsers?: string[] } = {}) {
  const calls: string[] = [];
  const bookings = new Map<string, Booking>();
  let seatsLeft = options.seatsLeft ?? 10;
  const store: BookingStore = {
    insert: async (b) => {
      if (options.failInsert) throw new Error('table unavailable');
      bookings.set(b.id, b);
    },
    get: async (id) => bookings.get(id),
    list: async () => ({ items: [...bookings.values()] }),
    pageForUser: async (userId) => ({ items: [...bookings.values()].filter((b) => b.userId === userId) }),
    remove: async (id) => {
      const b = bookings.get(id);
      bookings.delete(id);
      return b;
    },
    listForUser: async (userId) => [...bookings.values()].filter((b) => b.userId === userId),
    countForUser: async (userId) => [...bookings.values()].filter((b) => b.userId === userId).length,
  };
  let n = 0;
  const service = bookingService({
    store,
    users: {
      get: async (userId) => {
        calls.push(`users.get ${userId}`);
        if (!(options.knownUsers ?? ['u1']).includes(userId))
          throw new NotFoundError(`user ${userId} not found`);
        return { id: userId };
      },
    },
    seats: {
      reserve: async (_movie, _show, seats) => {
        calls.push(`reserve ${seats}`);
        if (seats > seatsLeft) throw new ConflictError('not enough seats');
        seatsLeft -= seats;
      },
      release: async (_movie, _show, seats) => {
        calls.push(`release ${seats}`);
        seatsLeft += seats;
      },
    },
    newId: () => `b${++n}`,
    now: () => new Date('2026-11-21T10:00:00Z'),
  });
  return { service, calls, bookings, seats: () => seatsLeft };
}

const request = { userId: 'u1', movieId: 'm1', showtimeId: 's1', seats: 2 };
const owner = { userId: 'u1', role: 'user' } as const;
const stranger = { userId: 'u2', role: 'user' } as const;
const admin = { userId: 'a1', role: 'admin' } as const;

describe('booking rules', () => {
  it('checks the user, reserves, then records the booking', async () => {
    const { service, calls, seats } = fakes();
    expect(await service.create(request)).toEqual({
      id: 'b1',
      ...request,
      createdOn: '2026-11-21T10:00:00.000Z',
    });
    expect(calls).toEqual(['users.get u1', 'reserve 2']);
    expect(seats()).toBe(8);
  });

  it('reserves nothing for a missing user', async () => {
    const { service, calls } = fakes();
    await expect(service.create({ ...request, userId: 'ghost' })).rejects.toBeInstanceOf(NotFoundError);
    expect(calls).toEqual(['users.get ghost']);
  });

  it('records nothing when the seats are gone', async () => {
    const { service, bookings } = fakes({ seatsLeft: 1 });
    await expect(service.create(request)).rejects.toBeInstanceOf(ConflictError);
    expect(bookings.size).toBe(0);
  });

  it('gives the seats back when the booking cannot be recorded (no leaked seats)', async () => {
    const { service, calls, seats } = fakes({ failInsert: true });
    await expect(service.create(request)).rejects.toThrow('table unavailable');
    expect(calls).toEqual(['users.get u1', 'reserve 2', 'release 2']);
    expect(seats()).toBe(10);
  });

  it('releases the seats of a cancelled booking, and 404s a second cancel', async () => {
    const { service, seats } = fakes();
    const booking = await service.create(request);
    await service.remove(booking.id, owner);
    expect(seats()).toBe(10);
    await expect(service.remove(booking.id, owner)).rejects.toBeInstanceOf(NotFoundError);
  });

  it("hides another person's booking as if it did not exist, and lets an admin see and cancel it", async () => {
    const { service, seats } = fakes();
    const booking = await service.create(request);
    await expect(service.get(booking.id, stranger)).rejects.toBeInstanceOf(NotFoundError);
    await expect(service.remove(booking.id, stranger)).rejects.toBeInstanceOf(NotFoundError);
    expect(seats()).toBe(8);
    expect(await service.get(booking.id, owner)).toEqual(booking);
    await service.remove(booking.id, admin);
    expect(seats()).toBe(10);
  });

  it("lists only the caller's bookings, and everyone's for an admin", async () => {
    const { service } = fakes({ knownUsers: ['u1', 'u2'] });
    await service.create(request);
    await service.create({ ...request, userId: 'u2' });
    expect((await service.list(owner, 20)).items.map((b) => b.userId)).toEqual(['u1']);
    expect((await service.list(stranger, 20)).items.map((b) => b.userId)).toEqual(['u2']);
    expect((await service.list(admin, 20)).items).toHaveLength(2);
  });
});

describe('user rules', () => {
  const users = (bookingCount: number) => {
    const stored = new Map<string, User>([
      ['u1', { id: 'u1', name: 'Ann', email: 'a@b.io', createdOn: 'x' }],
    ]);
    const accounts = new Set(['u1']);
    const service = userService({
      store: {
        insertIfAbsent: async (u) => {
          if (!stored.has(u.id)) stored.set(u.id, u);
          return stored.get(u.id) as User;
        },
        get: async (id) => stored.get(id),
        list: async () => ({ items: [...stored.values()] }),
        rename: async (id, name) => (stored.has(id) ? { ...(stored.get(id) as User), name } : undefined),
        remove: async (id) => stored.delete(id),
      },
      bookings: { listForUser: async () => [], countForUser: async () => bookingCount },
      accounts: { remove: async (id) => void accounts.delete(id) },
      now: () => new Date('2026-11-22T10:00:00Z'),
    });
    return { service, stored, accounts };
  };

  it('refuses to delete a user who has bookings, keeping profile and account', async () => {
    const { service, stored, accounts } = users(2);
    await expect(service.remove('u1')).rejects.toThrow('user u1 has 2 booking(s); cancel them first');
    await expect(service.remove('u1')).rejects.toBeInstanceOf(ConflictError);
    expect(stored.has('u1')).toBe(true);
    expect(accounts.has('u1')).toBe(true);
  });

  it('deletes a user without bookings together with their account, and 404s an unknown one', async () => {
    const { service, stored, accounts } = users(0);
    await expect(service.remove('u1')).resolves.toBeUndefined();
    expect(stored.has('u1')).toBe(false);
    expect(accounts.has('u1')).toBe(false);
    await expect(service.remove('nobody')).rejects.toBeInstanceOf(NotFoundError);
  });

  it('creates a profile once: ensuring it again keeps what is stored', async () => {
    const { service } = users(0);
    const first = await service.ensureProfile({ id: 'u3', email: 'c@d.io', name: 'Cid' });
    expect(first).toEqual({ id: 'u3', email: 'c@d.io', name: 'Cid', createdOn: '2026-11-22T10:00:00.000Z' });
    expect(await service.ensureProfile({ id: 'u3', email: 'c@d.io', name: 'c' })).toEqual(first);
  });
});
