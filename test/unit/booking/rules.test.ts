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
    await service.remove(booking.id);
    expect(seats()).toBe(10);
    await expect(service.remove(booking.id)).rejects.toBeInstanceOf(NotFoundError);
  });
});

describe('user rules', () => {
  const users = (bookingCount: number) => {
    const stored = new Map<string, User>([
      ['u1', { id: 'u1', name: 'Ann', email: 'a@b.io', createdOn: 'x' }],
    ]);
    return userService({
      store: {
        insert: async (u) => void stored.set(u.id, u),
        get: async (id) => stored.get(id),
        list: async () => ({ items: [...stored.values()] }),
        replace: async (id, fields) =>
          stored.has(id) ? { ...(stored.get(id) as User), ...fields } : undefined,
        remove: async (id) => stored.delete(id),
      },
      bookings: { listForUser: async () => [], countForUser: async () => bookingCount },
      newId: () => 'u2',
      now: () => new Date(),
    });
  };

  it('refuses to delete a user who has bookings', async () => {
    await expect(users(2).remove('u1')).rejects.toThrow('user u1 has 2 booking(s); delete them first');
    await expect(users(2).remove('u1')).rejects.toBeInstanceOf(ConflictError);
  });

  it('deletes a user without bookings, and 404s an unknown one', async () => {
    await expect(users(0).remove('u1')).resolves.toBeUndefined();
    await expect(users(0).remove('nobody')).rejects.toBeInstanceOf(NotFoundError);
  });
});
