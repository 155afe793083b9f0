import { describe, expect, it } from 'vitest';
import { DOWNCASE_EVENT } from '../../../functions/downcase/domain/downcase.js';
import { mayReceive, PUBLIC_EVENT_TYPES } from '../../../functions/live-feed/domain/audience.js';
import { alarmFeedMessage } from '../../../functions/log-feed/domain/alarms.js';
import { ERROR_EVENT } from '../../../functions/log-feed/domain/error-lines.js';
import type { Caller } from '../../../functions/shared/caller.js';
import type { FeedMessage } from '../../../functions/shared/log-feed/event.js';
import { TASK_EVENTS } from '../../../functions/tasks/domain/tasks.js';

const ann: Caller = { userId: 'ann', role: 'user' };
const bob: Caller = { userId: 'bob', role: 'user' };
const boss: Caller = { userId: 'boss', role: 'admin' };

const message = (type: string, data: unknown): FeedMessage => ({
  timestamp: '2026-11-22T06:00:00.000Z',
  service: type.split('.')[0] ?? 'x',
  type,
  requestId: 'r-1',
  data,
});

/**
 * Every event the project publishes, as it publishes it, and who sees it:
 * `ann` is the person an event names (if it names one), `bob` anyone else
 * signed in, `boss` an admin.
 */
type Route = [string, FeedMessage, { ann: boolean; bob: boolean; boss: boolean }];
const ROUTING: Route[] = [
  [
    'an anonymous downcase response',
    message(DOWNCASE_EVENT, { input: 'URGENT https://evil.example', result: 'urgent', message: 'x' }),
    { ann: false, bob: false, boss: true },
  ],
  [
    "ann's own downcase response",
    message(DOWNCASE_EVENT, { input: 'A', result: 'a', message: 'x', userId: 'ann' }),
    { ann: true, bob: false, boss: true },
  ],
  ...Object.values(TASK_EVENTS).map(
    (type): Route => [
      `${type} of ann's task`,
      message(type, { userId: 'ann', task: { name: 'milk' } }),
      { ann: true, bob: false, boss: true },
    ],
  ),
  [
    'booking.repaired (names no user: operators only)',
    message('booking.repaired', { bookingId: 'b-1', from: 'pending', action: 'released', movieId: 'm' }),
    { ann: false, bob: false, boss: true },
  ],
  [
    'log.error (a whole ERROR line of a function)',
    message(ERROR_EVENT, {
      logGroup: '/aws/lambda/x',
      logStream: 's',
      line: { userId: 'ann', level: 'ERROR' },
    }),
    { ann: false, bob: false, boss: true },
  ],
  [
    'an alarm state change (operators only)',
    alarmFeedMessage(
      {
        alarm: 'Microservices-bookings-5xx',
        state: 'ALARM',
        previousState: 'OK',
        reason: 'Threshold Crossed',
        time: '2026-11-22T06:00:00.000Z',
        service: 'bookings',
      },
      'n-1',
    ),
    { ann: false, bob: false, boss: true },
  ],
  ['the bench probe', message('bench.live', { n: 1 }), { ann: false, bob: false, boss: true }],
  [
    'an event type nobody declared',
    message('new.thing', { secret: 1 }),
    { ann: false, bob: false, boss: true },
  ],
  [
    'an undeclared type naming ann',
    message('new.thing', { userId: 'ann' }),
    { ann: true, bob: false, boss: true },
  ],
  ['a userId that is not a string', message('x.y', { userId: 42 }), { ann: false, bob: false, boss: true }],
  ['data that is not an object', message('x.y', 'ann'), { ann: false, bob: false, boss: true }],
];

describe('who receives each feed event (deny by default)', () => {
  it.each(ROUTING)('%s', (_case, event, expected) => {
    expect({
      ann: mayReceive(ann, event),
      bob: mayReceive(bob, event),
      boss: mayReceive(boss, event),
    }).toEqual(expected);
  });

  it('declares no event type public', () => {
    expect([...PUBLIC_EVENT_TYPES]).toEqual([]);
  });

  it('sends a type declared public to everyone signed in, and one naming a user still to that user only', () => {
    const declared = new Set(['search.indexed']);
    const open = message('search.indexed', { cells: 3 });
    expect([ann, bob, boss].map((who) => mayReceive(who, open, declared))).toEqual([true, true, true]);
    const named = message('search.indexed', { userId: 'ann' });
    expect([ann, bob, boss].map((who) => mayReceive(who, named, declared))).toEqual([true, false, true]);
  });
});
