import { describe, expect, it } from 'vitest';
import { type Booking, bookingService } from '../../../functions/bookings/domain/bookings.js';
import { seatsOverRpc } from '../../../functions/bookings/seats-over-rpc.js';
import { moviesContract } from '../../../functions/movies/contract.js';
import { SEATS_PER_PERSON, seatHolds } from '../../../functions/movies/domain/movies.js';
import { NotFoundError } from '../../../functions/shared/errors.js';
import { rpcClient } from '../../../functions/shared/rpc/client.js';
import { typedClient } from '../../../functions/shared/rpc/contract.js';
import { rpcServer } from '../../../functions/shared/rpc/server.js';
import type { RpcTransport } from '../../../functions/shared/rpc/transport.js';
import { usersContract } from '../../../functions/users/contract.js';
import { bookingWorld } from '../../support/booking-world.js';
import { memoryBookingStore } from '../../support/memory-booking-store.js';
import { memoryMovieStore } from '../../support/memory-movie-store.js';
import { memoryTransport } from '../../support/memory-rpc-transport.js';

const MOVIES = 'memory://movies-requests';
const USERS = 'memory://users-requests';
const request = { userId: 'u1', movieId: 'm1', showtimeId: 's1', seats: 2 };

/**
 * The booking service wired as the bookings function wires it (the movies
 * contract's typed client over an RPC client, through seatsOverRpc), on a
 * fake transport whose request queues are served by the movies service's
 * seat holds and by a users service, and which counts every request sent.
 */
function overRpc(timer: { checkLater(id: string): Promise<void> } = { checkLater: async () => {} }) {
  const bus = memoryTransport();
  const requests: string[] = [];
  /** The caller's side of the transport: each request it sends is counted by queue. */
  const counted: RpcTransport = {
    ...bus.transport,
    send: async (url, body) => {
      requests.push(url);
      await bus.transport.send(url, body);
    },
  };
  const movies = memoryMovieStore([
    {
      id: 'm1',
      title: 'Alien',
      rating: 8,
      showtimes: [{ id: 's1', startsAt: '2036-12-24T20:00:00Z', seats: 10, available: 10 }],
    },
  ]);
  const seats = seatHolds({ store: movies.store, now: Date.now, seatsPerPerson: SEATS_PER_PERSON });
  for (const dlq of ['memory://movies-dlq', 'memory://users-dlq']) bus.create(dlq);
  bus.consume(
    MOVIES,
    rpcServer(
      moviesContract,
      { reserveSeats: (hold) => seats.reserve(hold), releaseSeats: (hold) => seats.release(hold) },
      { transport: bus.transport, deadLetterQueueUrl: 'memory://movies-dlq' },
    ),
  );
  // A users service the booking could ask: it must not need to.
  bus.consume(
    USERS,
    rpcServer(
      usersContract,
      {
        get: async ({ id }) => ({
          id,
          name: id,
          email: `${id}@example.com`,
          createdOn: '2026-01-01T00:00:00Z',
        }),
        ensureProfile: async (profile) => ({ ...profile, createdOn: '2026-01-01T00:00:00Z' }),
      },
      { transport: bus.transport, deadLetterQueueUrl: 'memory://users-dlq' },
    ),
  );
  let n = 0;
  const rpc = rpcClient({
    transport: counted,
    services: { movies: MOVIES, users: USERS },
    replyQueueName: 'Stack-rpc-reply-bookings-test',
    newId: () => `c${++n}`,
  });
  const store = memoryBookingStore();
  const service = bookingService({
    store: store.store,
    seats: seatsOverRpc(
      typedClient(rpc, moviesContract, { timeoutMs: 2000, requestId: 'r1' }),
      async () => {},
    ),
    timer,
    feed: { publish: async () => {} },
    events: { moved: () => {}, repaired: () => {} },
    newId: () => `b${++n}`,
    now: () => new Date(),
    log: { warn: () => {} },
    pendingGraceMs: 12_000,
    resendAfterMs: 30_000,
    closedForMs: 60_000,
  });
  return { service, requests, store };
}

describe("a booking's request path", () => {
  it('makes one RPC call: the reserve on movies, and none to the users service', async () => {
    const { service, requests } = overRpc();
    expect(await service.create(request)).toMatchObject({ status: 'confirmed', seats: 2 });
    expect(requests).toEqual([MOVIES]);
  });

  it('queues its delayed check beside the reserve, and is confirmed even when the check could not be queued', async () => {
    let queued = 0;
    const { service, requests } = overRpc({
      checkLater: async () => {
        queued += 1;
        throw new Error('SQS is down');
      },
    });
    expect(await service.create(request)).toMatchObject({ status: 'confirmed' });
    expect(queued).toBe(1);
    expect(requests).toEqual([MOVIES]);
  });

  it('makes no RPC call at all for a person whose account is closed (their deletion began)', async () => {
    const { service, requests, store } = overRpc();
    await service.closeForUser('u1');
    await expect(service.create(request)).rejects.toBeInstanceOf(NotFoundError);
    expect(requests).toEqual([]);
    expect(store.rows.size).toBe(0);
  });
});

describe('a reconciler pass', () => {
  it('reads only the bookings in flight, however many settled ones the store holds', async () => {
    const world = bookingWorld(10);
    const settled = (i: number): Booking => ({
      id: `settled-${i}`,
      userId: `person-${i}`,
      movieId: 'm0',
      showtimeId: 'elsewhere',
      seats: 1,
      status: (['confirmed', 'cancelled', 'released'] as const)[i % 3] ?? 'confirmed',
      createdOn: '2026-11-01T00:00:00Z',
      updatedOn: '2026-11-01T00:00:00Z',
    });
    for (let i = 0; i < 3000; i++) await world.bookings.store.insert(settled(i));
    // Two creates crash between reserve and confirm: two pending bookings hold seats.
    world.crashAt('after-reserve');
    await expect(world.service.create(request)).rejects.toThrow('crash after-reserve');
    await expect(world.service.create({ ...request, userId: 'u2' })).rejects.toThrow('crash after-reserve');
    world.crashAt(undefined);
    await world.service.create({ ...request, seats: 1 });
    world.advance(60_000);

    const pass = await world.service.reconcile();
    expect(pass.repaired).toHaveLength(2);
    expect(pass.read).toBe(2);
    expect(world.bookings.reads.stuck).toBe(2);
    expect(world.bookings.inFlight.size).toBe(2); // now releasing, until movies confirms
    await world.settle();
    expect(world.bookings.inFlight.size).toBe(0);
    const onShowtime = [...world.bookings.rows.values()].filter((b) => b.showtimeId === 's1');
    expect(onShowtime.map((b) => `${b.userId} ${b.status}`).sort()).toEqual([
      'u1 confirmed',
      'u1 released',
      'u2 released',
    ]);
    expect(world.movies.showtime.available).toBe(9);

    // A quiet pass reads nothing at all.
    const quiet = await world.service.reconcile();
    expect(quiet).toEqual({ repaired: [], read: 0 });
  });
});
