import type { SQSEvent } from 'aws-lambda';
import { beforeEach, describe, expect, it } from 'vitest';
import { sagaMetrics } from '../../../functions/bookings/saga-metrics.js';
import { sagaQueueConsumer } from '../../../functions/bookings/saga-queue.js';
import { DeadlineExceededError } from '../../../functions/shared/errors.js';
import { flushMetrics, withMetrics } from '../../../functions/shared/metrics.js';
import { lambdaContext } from '../../support/api-events.js';
import { bookingWorld } from '../../support/booking-world.js';
import { sumOf, takeEmf } from '../../support/emf.js';

// The unit project runs as service `unit` (vitest.config.ts); deployed, these are the bookings service's.
const SERVICE = { service: 'unit' };
const request = { userId: 'u1', movieId: 'm1', showtimeId: 's1', seats: 2 };
const owner = { userId: 'u1', role: 'user' } as const;
const STATES = ['pending', 'confirmed', 'releasing', 'released', 'cancelling', 'cancelled'] as const;

/** SagaTransitions by target state, as written (states with none left out). */
function transitions(): Record<string, number> {
  flushMetrics();
  const emf = takeEmf();
  return Object.fromEntries(
    STATES.map((state) => [state, sumOf(emf, 'SagaTransitions', { ...SERVICE, state })]).filter(
      ([, n]) => n !== 0,
    ),
  );
}

function repairs(): number {
  flushMetrics();
  return sumOf(takeEmf(), 'SagaRepairs', SERVICE);
}

const world = () => bookingWorld(10, { events: sagaMetrics });

beforeEach(() => {
  flushMetrics();
  takeEmf();
});

describe('metrics of the booking saga', () => {
  it('counts a booking made: pending, then confirmed', async () => {
    await world().service.create(request);
    expect(transitions()).toEqual({ pending: 1, confirmed: 1 });
  });

  it('counts a cancel: cancelling, then cancelled', async () => {
    const w = world();
    const { id } = await w.service.create(request);
    transitions();
    await w.service.cancel(id, owner);
    expect(transitions()).toEqual({ cancelling: 1, cancelled: 1 });
  });

  it('counts a create given up after a lost reply: releasing, then released once movies confirms', async () => {
    const w = world();
    w.setLink('reply-lost');
    await expect(w.service.create(request)).rejects.toBeInstanceOf(DeadlineExceededError);
    expect(transitions()).toEqual({ pending: 1, releasing: 1 });
    await w.settle();
    expect(transitions()).toEqual({ released: 1 });
  });

  it('counts the transitions of {service} too, across states', async () => {
    await world().service.create(request);
    flushMetrics();
    expect(sumOf(takeEmf(), 'SagaTransitions', SERVICE)).toBe(2);
  });

  it('counts what a reconciler pass repaired, 0 included', async () => {
    const w = world();
    expect(await w.service.reconcile()).toEqual({ repaired: [], read: 0 });
    expect(repairs()).toBe(0);
    w.crashAt('after-reserve');
    await expect(w.service.create(request)).rejects.toThrow('crash after-reserve');
    w.advance(13_000);
    expect((await w.service.reconcile()).repaired).toHaveLength(1);
    expect(repairs()).toBe(1);
  });

  it('counts a repair by the delayed check', async () => {
    const w = world();
    w.crashAt('after-insert');
    await expect(w.service.create(request)).rejects.toThrow('crash after-insert');
    transitions();
    await w.settle();
    expect(repairs()).toBe(1);
  });

  it('writes a whole saga-queue batch once, when the batch ends', async () => {
    const w = world();
    const ids: string[] = [];
    w.crashAt('after-insert');
    for (let i = 0; i < 3; i++) {
      await expect(w.service.create(request)).rejects.toThrow();
      ids.push(...[...w.bookings.rows.keys()].filter((id) => !ids.includes(id)));
    }
    w.advance(13_000);
    flushMetrics();
    takeEmf();
    const handler = withMetrics(sagaQueueConsumer(() => w.service));
    const event = {
      Records: ids.map((bookingId, i) => ({
        messageId: `m${i}`,
        body: JSON.stringify({ kind: 'check', bookingId }),
      })),
    } as unknown as SQSEvent;
    expect(await handler(event, lambdaContext)).toEqual({ batchItemFailures: [] });
    const emf = takeEmf();
    expect(sumOf(emf, 'SagaTransitions', { ...SERVICE, state: 'releasing' })).toBe(3);
    expect(sumOf(emf, 'SagaRepairs', SERVICE)).toBe(3);
    // One line per dimension group: {state=releasing}, and {service} alone for the repairs.
    expect(emf).toHaveLength(2);
  });
});
