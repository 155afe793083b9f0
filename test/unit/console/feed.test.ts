import { describe, expect, it } from 'vitest';
import {
  addEntry,
  type FeedEntry,
  type FeedMessage,
  filterEntries,
  liveFeedUrl,
  parseFrame,
  servicesOf,
  summaryOf,
} from '../../../functions/console/app/feed.js';

const message = (service: string, type: string, n = 0): FeedMessage => ({
  timestamp: '2026-11-22T06:00:00.000Z',
  service,
  type,
  requestId: `r-${n}`,
  data: { n },
});

function feedOf(...messages: FeedMessage[]): FeedEntry[] {
  return messages.reduce<FeedEntry[]>((entries, m, i) => addEntry(entries, m, 1000 + i), []);
}

describe('the live panel list', () => {
  it('puts the newest message on top with the time it arrived', () => {
    const entries = feedOf(message('downcase', 'downcase.response', 1), message('tasks', 'task.created', 2));
    expect(entries.map((e) => [e.message.requestId, e.arrivedAt])).toEqual([
      ['r-2', 1001],
      ['r-1', 1000],
    ]);
  });

  it('keeps at most the newest 200', () => {
    let entries: FeedEntry[] = [];
    for (let n = 0; n < 250; n += 1) entries = addEntry(entries, message('s', 't', n), n);
    expect(entries).toHaveLength(200);
    expect(entries[0]?.message.requestId).toBe('r-249');
  });

  it('filters by service and by part of the type, case-insensitively', () => {
    const entries = feedOf(
      message('tasks', 'task.created'),
      message('tasks', 'task.deleted'),
      message('downcase', 'downcase.response'),
    );
    expect(filterEntries(entries, { service: 'tasks', type: '' })).toHaveLength(2);
    expect(filterEntries(entries, { service: '', type: 'DELETED' }).map((e) => e.message.type)).toEqual([
      'task.deleted',
    ]);
    expect(filterEntries(entries, { service: 'downcase', type: 'task' })).toEqual([]);
    expect(servicesOf(entries)).toEqual(['downcase', 'tasks']);
  });

  it('ignores frames that are not feed messages', () => {
    expect(parseFrame('not json')).toBeUndefined();
    expect(parseFrame('{"message":"Forbidden"}')).toBeUndefined();
    expect(parseFrame(JSON.stringify(message('a', 'b')))).toEqual(message('a', 'b'));
  });
});

describe('the live feed URL', () => {
  const config = {
    liveFeedApiId: 'ws123',
    liveFeedStage: 'v1',
    liveFeedUrl: 'wss://ws123.execute-api.eu-west-1.amazonaws.com/v1',
  };

  it("uses the local stack's execute-api path on the page's own host", () => {
    const local = {
      protocol: 'http:',
      host: 'localhost:4566',
      pathname: '/_aws/execute-api/rest9/v1/console',
    };
    expect(liveFeedUrl(local, config)).toBe('ws://localhost:4566/_aws/execute-api/ws123/v1');
  });

  it('uses the stage URL the stack reported on AWS', () => {
    const aws = {
      protocol: 'https:',
      host: 'rest9.execute-api.eu-west-1.amazonaws.com',
      pathname: '/v1/console',
    };
    expect(liveFeedUrl(aws, config)).toBe(config.liveFeedUrl);
  });
});

describe("a feed row's one-line summary", () => {
  it('lists the fields of the data in order, strings bare and objects as short JSON', () => {
    expect(summaryOf({ status: 200, param: 'HeLLo', answer: 'hello' })).toBe(
      'status 200 · param HeLLo · answer hello',
    );
    expect(summaryOf({ task: { id: 't1', done: true } })).toBe('task {"id":"t1","done":true}');
    expect(summaryOf('plain')).toBe('plain');
    expect(summaryOf(undefined)).toBe('');
  });

  it('cuts a long summary with an ellipsis', () => {
    const line = summaryOf({ text: 'x'.repeat(500) }, 50);
    expect(line).toHaveLength(50);
    expect(line.endsWith('…')).toBe(true);
  });
});
