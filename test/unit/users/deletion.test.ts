import { describe, expect, it } from 'vitest';
import { NotFoundError } from '../../../functions/shared/errors.js';
import { taskErasure } from '../../../functions/tasks/domain/tasks.js';
import {
  accountDeletion,
  accountErasure,
  type EraseMessage,
} from '../../../functions/users/domain/deletion.js';
import { profiles, userService } from '../../../functions/users/domain/users.js';
import { bookingWorld } from '../../support/booking-world.js';
import { memoryTaskStore } from '../../support/memory-task-store.js';
import { memoryUserStore } from '../../support/memory-user-store.js';

const ERASE_AFTER = 30;
const RETRY_AFTER = 10;
const request = { userId: 'u1', movieId: 'm1', showtimeId: 's1', seats: 2 };
const profile = (id: string) => ({
  id,
  name: id,
  email: `${id}@example.com`,
  createdOn: '2026-11-01T00:00:00Z',
});

/**
 * The users service's deletion wired to the real booking and task domains on
 * in-memory fakes: the pool is a set of account ids, the deletions queue a
 * list of delayed messages the test delivers when it says time has passed.
 */
function world(people: readonly string[] = ['u1', 'u2'], reserveAfter?: Promise<unknown>) {
  let clock = Date.parse('2026-11-22T10:00:00Z');
  const now = () => new Date(clock);
  const store = memoryUserStore(people.map(profile));
  const pool = new Set(people);
  const queued: Array<{ message: EraseMessage; delaySeconds: number }> = [];
  const queue = {
    eraseLater: async (message: EraseMessage, delaySeconds: number) =>
      void queued.push({ message, delaySeconds }),
  };
  const accounts = {
    remove: async (id: string) => pool.delete(id),
    exists: async (id: string) => pool.has(id),
    ids: async function* () {
      const ids = [...pool];
      for (let i = 0; i < ids.length; i += 2) yield ids.slice(i, i + 2);
    },
  };
  const readers = profiles({ store, now });
  const bookings = bookingWorld(10, {
    users: { get: (id) => readers.get(id) },
    ...(reserveAfter ? { reserveAfter } : {}),
  });
  const tasks = memoryTaskStore();
  const feed: Array<{ type: string; data: unknown }> = [];
  const timing = { eraseAfterSeconds: ERASE_AFTER, resumeAfterMs: 30 * 60_000, sweepPageSize: 2 };
  const deletion = accountDeletion({ store, accounts, queue, bookings: bookings.service, now, timing });
  const erasure = accountErasure({
    store,
    accounts,
    queue,
    bookings: bookings.service,
    tasks: taskErasure({ store: tasks }),
    feed: { publish: async (event) => void feed.push(event) },
    log: { info: () => {} },
    timing: { eraseAfterSeconds: ERASE_AFTER, retryAfterSeconds: RETRY_AFTER, maxAttempts: 5 },
  });
  return {
    store,
    pool,
    queued,
    readers,
    bookings,
    tasks,
    feed,
    deletion,
    erasure,
    users: userService({ store, bookings: bookings.ofUsers, deletion, now }),
    advance: (ms: number) => {
      clock += ms;
    },
    /** Delivers every queued erasure (as SQS does once its delay is over), the seats' releases between. */
    async deliverAll() {
      const results: string[] = [];
      for (let round = 0; round < 10 && queued.length > 0; round++) {
        for (const { message } of queued.splice(0)) results.push(await erasure.erase(message));
        await bookings.settle();
      }
      return results;
    },
  };
}

async function addTasks(w: ReturnType<typeof world>, userId: string, count: number) {
  for (let i = 0; i < count; i++)
    await w.tasks.insert({
      id: `t${i}`,
      userId,
      name: `task ${i}`,
      createdOn: '2026-11-01T00:00:00Z',
      done: false,
    });
}

describe('deleting a person', () => {
  it('marks the profile, removes the account and queues the erasure past the longest create: 202-style answer', async () => {
    const w = world();
    expect(await w.users.remove('u1')).toEqual({ id: 'u1', status: 'deleting' });
    expect(w.store.rows.get('u1')?.deletingSince).toBe('2026-11-22T10:00:00.000Z');
    expect(w.pool.has('u1')).toBe(false);
    expect(w.queued).toEqual([
      { message: { userId: 'u1', via: 'api', attempt: 0 }, delaySeconds: ERASE_AFTER },
    ]);
    await expect(w.users.remove('nobody')).rejects.toBeInstanceOf(NotFoundError);
  });

  it('hides a person being deleted from every reader, and refuses to rename them', async () => {
    const w = world();
    await w.users.remove('u1');
    await expect(w.readers.get('u1')).rejects.toThrow('user u1 is being deleted');
    await expect(w.users.get('u1')).rejects.toBeInstanceOf(NotFoundError);
    await expect(w.users.rename('u1', 'Ann')).rejects.toBeInstanceOf(NotFoundError);
    expect((await w.users.get('u2')).id).toBe('u2');
  });

  it('refuses a booking for a person being deleted, holding no seat', async () => {
    const w = world();
    await w.users.remove('u1');
    await expect(w.bookings.service.create(request)).rejects.toBeInstanceOf(NotFoundError);
    expect(w.bookings.movies.showtime.available).toBe(10);
    expect(w.bookings.bookings.rows.size).toBe(0);
  });

  it('refuses a booking while the authorizer may still let the token in: the account is closed to bookings before it goes', async () => {
    const w = world();
    const closedBeforeRemoved: boolean[] = [];
    const accounts = {
      remove: async (id: string) => {
        closedBeforeRemoved.push(w.bookings.bookings.closed.has(id));
        return w.pool.delete(id);
      },
      exists: async (id: string) => w.pool.has(id),
      ids: async function* () {},
    };
    const deletion = accountDeletion({
      store: w.store,
      accounts,
      queue: { eraseLater: async () => {} },
      bookings: w.bookings.service,
      now: () => new Date(),
      timing: { eraseAfterSeconds: ERASE_AFTER, resumeAfterMs: 60_000, sweepPageSize: 10 },
    });
    await deletion.start('u1', 'api');
    expect(closedBeforeRemoved).toEqual([true]);
    await expect(w.bookings.service.create(request)).rejects.toThrow('user u1 is being deleted');
  });

  it('erases a booking whose create got in just before the account closed: cancelled, seats back, then gone', async () => {
    let closed: () => void = () => {};
    const deletionStarted = new Promise<void>((resolve) => {
      closed = resolve;
    });
    // The create inserts its booking, then the deletion closes the account, then the create reserves.
    const w = world(['u1', 'u2'], deletionStarted);
    await addTasks(w, 'u1', 3);
    const creating = w.bookings.service.create(request);
    await w.users.remove('u1');
    closed();
    expect((await creating).status).toBe('confirmed');
    expect(w.bookings.movies.showtime.available).toBe(8);

    expect(await w.deliverAll()).toEqual(['waiting', 'erased']);
    expect(w.queued).toEqual([]);
    expect(w.bookings.movies.showtime.available).toBe(10);
    expect(w.bookings.bookings.rows.size).toBe(0);
    expect(await w.tasks.list('u1', 100)).toEqual({ tasks: [] });
    expect(w.store.rows.has('u1')).toBe(false);
    expect(w.feed).toEqual([{ type: 'user.removed', data: { userId: 'u1', via: 'api' } }]);
  });

  it('closes the account at the erasure when the start failed before closing it, and waits before erasing', async () => {
    const w = world();
    // Marked, but the start stopped there: bookings never heard of it, and the account is still there.
    await w.store.markDeleting('u1', { deletingSince: '2026-11-22T09:00:00Z', deletingVia: 'api' });
    await w.bookings.service.create(request);
    expect(await w.erasure.erase({ userId: 'u1', via: 'api', attempt: 0 })).toBe('waiting');
    expect(w.bookings.bookings.closed.has('u1')).toBe(true);
    await expect(w.bookings.service.create(request)).rejects.toBeInstanceOf(NotFoundError);
    expect(await w.deliverAll()).toEqual(['waiting', 'erased']);
    expect(w.bookings.bookings.rows.size).toBe(0);
    expect(w.bookings.movies.showtime.available).toBe(10);
  });

  it('cancels every booking and erases every task of the person, and nobody else’s', async () => {
    const w = world();
    await w.bookings.service.create(request);
    await w.bookings.service.create({ ...request, seats: 1 });
    const kept = await w.bookings.service.create({ ...request, userId: 'u2' });
    await addTasks(w, 'u1', 30);
    await addTasks(w, 'u2', 1);
    await w.users.remove('u1');
    expect(await w.deliverAll()).toEqual(['waiting', 'erased']);
    expect([...w.bookings.bookings.rows.values()]).toEqual([kept]);
    expect(w.bookings.movies.showtime.available).toBe(10 - kept.seats);
    expect(w.bookings.accounted()).toBe(10);
    expect(w.tasks.items.size).toBe(1);
    expect(w.store.rows.has('u1')).toBe(false);
    expect(w.store.rows.has('u2')).toBe(true);
  });

  it('starts the wait over when the account was still there at erasure time (its tokens worked until then)', async () => {
    const w = world();
    await w.store.markDeleting('u1', { deletingSince: '2026-11-22T09:00:00Z', deletingVia: 'api' });
    await addTasks(w, 'u1', 1);
    expect(await w.erasure.erase({ userId: 'u1', via: 'api', attempt: 0 })).toBe('waiting');
    expect(w.pool.has('u1')).toBe(false);
    expect(w.tasks.items.size).toBe(1);
    expect(w.queued).toEqual([
      { message: { userId: 'u1', via: 'api', attempt: 1 }, delaySeconds: ERASE_AFTER },
    ]);
  });

  it('does nothing for a message whose person is already erased or was never marked', async () => {
    const w = world();
    expect(await w.erasure.erase({ userId: 'gone', via: 'api', attempt: 0 })).toBe('nothing to do');
    expect(await w.erasure.erase({ userId: 'u2', via: 'api', attempt: 0 })).toBe('nothing to do');
    expect(w.store.rows.has('u2')).toBe(true);
    expect(w.pool.has('u2')).toBe(true);
  });

  it('gives up, for the DLQ, after the last look', async () => {
    const w = world();
    await w.users.remove('u1');
    await expect(w.erasure.erase({ userId: 'u1', via: 'api', attempt: 5 })).rejects.toThrow(
      'the deletion of u1 did not finish after 5 looks',
    );
  });

  it('lets a person with bookings be deleted again while it runs, harmlessly', async () => {
    const w = world();
    await w.bookings.service.create(request);
    await w.users.remove('u1');
    w.advance(5_000);
    await w.users.remove('u1');
    expect(w.store.rows.get('u1')?.deletingSince).toBe('2026-11-22T10:00:00.000Z');
    expect(await w.deliverAll()).toEqual(['waiting', 'waiting', 'erased', 'nothing to do']);
    expect(w.bookings.movies.showtime.available).toBe(10);
  });
});

describe('the sweep of profiles against the pool', () => {
  it('deletes the same way a person whose account was removed outside the API, announcing user.removed', async () => {
    const w = world(['u1', 'u2', 'u3', 'u4', 'u5']);
    await w.bookings.service.create(request);
    await addTasks(w, 'u1', 2);
    w.pool.delete('u1'); // Cognito's DeleteUser with the person's own access token
    expect(await w.deletion.sweep()).toEqual({ profiles: 5, removed: ['u1'], resumed: [] });
    expect(w.queued).toEqual([
      { message: { userId: 'u1', via: 'directory', attempt: 0 }, delaySeconds: ERASE_AFTER },
    ]);
    await expect(w.bookings.service.create(request)).rejects.toBeInstanceOf(NotFoundError);
    await w.deliverAll();
    expect(w.store.rows.has('u1')).toBe(false);
    expect(w.tasks.items.size).toBe(0);
    expect(w.bookings.bookings.rows.size).toBe(0);
    expect(w.bookings.movies.showtime.available).toBe(10);
    expect(w.feed).toEqual([{ type: 'user.removed', data: { userId: 'u1', via: 'directory' } }]);
    expect(await w.deletion.sweep()).toEqual({ profiles: 4, removed: [], resumed: [] });
  });

  it('leaves alone a person who signed up after the pool was listed (asked again before acting)', async () => {
    const w = world(['u1']);
    const accounts = {
      remove: async (id: string) => w.pool.delete(id),
      exists: async (id: string) => w.pool.has(id),
      ids: async function* () {
        yield ['u1'];
        // Someone signs up while the sweep reads the pool: account, then profile.
        w.pool.add('late');
        await w.store.insertIfAbsent(profile('late'));
      },
    };
    const sweep = accountDeletion({
      store: w.store,
      accounts,
      queue: { eraseLater: async () => {} },
      bookings: w.bookings.service,
      now: () => new Date(),
      timing: { eraseAfterSeconds: ERASE_AFTER, resumeAfterMs: 60_000, sweepPageSize: 10 },
    });
    expect((await sweep.sweep()).removed).toEqual([]);
    expect(w.store.rows.get('late')?.deletingSince).toBeUndefined();
  });

  it('starts again a deletion whose message was lost, once, renewing its mark', async () => {
    const w = world();
    await w.users.remove('u1');
    w.queued.splice(0); // the delayed message is lost
    w.advance(20 * 60_000);
    expect((await w.deletion.sweep()).resumed).toEqual([]);
    w.advance(15 * 60_000);
    expect((await w.deletion.sweep()).resumed).toEqual(['u1']);
    expect((await w.deletion.sweep()).resumed).toEqual([]);
    expect(await w.deliverAll()).toEqual(['erased']);
    expect(w.feed).toEqual([{ type: 'user.removed', data: { userId: 'u1', via: 'api' } }]);
  });
});
