import { describe, expect, it } from 'vitest';
import { type LogEvent, LogReader, type LogsPort } from '../../../localstack/metrics-agent/log-reader.js';

interface Stored extends Required<Pick<LogEvent, 'timestamp' | 'message' | 'logStreamName'>> {
  eventId?: string;
}

/**
 * CloudWatch Logs in memory, read the way MiniStack answers FilterLogEvents
 * (events from startTime on, ordered by timestamp across streams, at most
 * `limit`, no nextToken, no event ids), or, with `paged`, the way AWS does
 * (event ids, and a nextToken while more events are left). With `counted`, it
 * lists each group's stored bytes, as MiniStack keeps them.
 */
class FakeLogs implements LogsPort {
  readonly groups = new Map<string, Stored[]>();
  calls = 0;
  /** The groups each FilterLogEvents call read, in order. */
  readGroups: string[] = [];
  constructor(
    private readonly paged = false,
    private readonly counted = false,
  ) {}

  /** Stores lines in a stream; like MiniStack, a batch stamped earlier than stored events is merged in by timestamp. */
  put(group: string, stream: string, timestamp: number, ...messages: string[]) {
    const events = this.groups.get(group) ?? [];
    for (const message of messages)
      events.push({
        timestamp,
        message,
        logStreamName: stream,
        ...(this.paged ? { eventId: `${events.length}` } : {}),
      });
    events.sort((a, b) => a.timestamp - b.timestamp); // stable: a stream keeps its order
    this.groups.set(group, events);
  }

  async logGroups() {
    return [...this.groups].map(([name, events]) => ({
      name,
      ...(this.counted ? { storedBytes: events.reduce((sum, e) => sum + e.message.length, 0) } : {}),
    }));
  }

  async filterLogEvents({
    logGroupName,
    startTime,
    limit,
    nextToken,
  }: Parameters<LogsPort['filterLogEvents']>[0]) {
    this.calls++;
    this.readGroups.push(logGroupName);
    const from = (this.groups.get(logGroupName) ?? []).filter((event) => event.timestamp >= startTime);
    const offset = nextToken ? Number(nextToken) : 0;
    const events = from.slice(offset, offset + limit).map((event) => ({ ...event }));
    const more = this.paged && offset + limit < from.length;
    return { events, ...(more ? { nextToken: String(offset + limit) } : {}) };
  }
}

const messages = (read: Awaited<ReturnType<LogReader['read']>>) =>
  read.flatMap(({ events }) => events.map((event) => event.message));

describe('the log reader', () => {
  it('returns each event once, whatever it returned before', async () => {
    const logs = new FakeLogs();
    const reader = new LogReader(logs);
    logs.put('g', 's1', 1000, 'a', 'b');
    expect(messages(await reader.read())).toEqual(['a', 'b']);
    expect(messages(await reader.read())).toEqual([]);
    logs.put('g', 's2', 1000, 'c'); // same timestamp as the events already read
    logs.put('g', 's3', 1500, 'd');
    expect(messages(await reader.read())).toEqual(['c', 'd']);
    expect(messages(await reader.read())).toEqual([]);
  });

  it('tells apart identical lines with one timestamp in one stream (no event ids)', async () => {
    const logs = new FakeLogs();
    const reader = new LogReader(logs);
    logs.put('g', 's1', 1000, 'same', 'same');
    expect(messages(await reader.read())).toEqual(['same', 'same']);
    logs.put('g', 's1', 1000, 'same');
    expect(messages(await reader.read())).toEqual(['same']);
  });

  it('reads an event stored after a later-stamped one (within the look-back)', async () => {
    const logs = new FakeLogs();
    const reader = new LogReader(logs, { lookbackMs: 2_000 });
    logs.put('g', 'late-writer', 5_000, 'first');
    logs.put('g', 'early-writer', 6_000, 'second');
    expect(messages(await reader.read())).toEqual(['first', 'second']);
    logs.put('g', 'slow-writer', 5_500, 'stamped before second, stored after');
    expect(messages(await reader.read())).toEqual(['stamped before second, stored after']);
  });

  it('pages through a burst larger than a page without a token (MiniStack), skipping and repeating nothing', async () => {
    const logs = new FakeLogs();
    const reader = new LogReader(logs, { pageSize: 100 });
    // 1,000 lines over 40 streams, 25 per millisecond: pages end in the middle of a timestamp.
    for (let i = 0; i < 1000; i++) logs.put('g', `s${i % 40}`, 10_000 + Math.floor(i / 25), `line ${i}`);
    const read = messages(await reader.read());
    expect(read).toHaveLength(1000);
    expect(new Set(read).size).toBe(1000);
    logs.put('g', 's0', 10_039, 'one more at the last timestamp');
    expect(messages(await reader.read())).toEqual(['one more at the last timestamp']);
  });

  it('follows nextToken where the service gives one (AWS)', async () => {
    const logs = new FakeLogs(true);
    const reader = new LogReader(logs, { pageSize: 100 });
    for (let i = 0; i < 250; i++) logs.put('g', 's', 10_000, `line ${i}`); // one timestamp: only the token can page
    expect(messages(await reader.read())).toHaveLength(250);
    expect(logs.calls).toBe(3);
    expect(messages(await reader.read())).toEqual([]);
  });

  it('reads log groups made after it started, from their beginning', async () => {
    const logs = new FakeLogs();
    const reader = new LogReader(logs);
    logs.put('/aws/lambda/one', 's', 1000, 'a');
    expect(await reader.read()).toEqual([
      { logGroupName: '/aws/lambda/one', events: [expect.objectContaining({ message: 'a' })] },
    ]);
    logs.put('/aws/lambda/two', 's', 500, 'older than anything read so far');
    expect(await reader.read()).toEqual([
      {
        logGroupName: '/aws/lambda/two',
        events: [expect.objectContaining({ message: 'older than anything read so far' })],
      },
    ]);
  });

  // With stored bytes, the catch-up read comes although the group got no line since the failed read.
  it.each([
    ['names only', false],
    ['stored bytes', true],
  ])(
    'keeps its position when a read fails, and catches up on the next (port giving %s)',
    async (_, counted) => {
      const logs = new FakeLogs(false, counted);
      const warnings: string[] = [];
      const reader = new LogReader(logs, { warn: (line) => warnings.push(line) });
      logs.put('g', 's', 1000, 'a');
      await reader.read();
      logs.put('g', 's', 2000, 'b');
      const working = logs.filterLogEvents.bind(logs);
      logs.filterLogEvents = async () => {
        throw new Error('connection refused');
      };
      expect(messages(await reader.read())).toEqual([]);
      expect(warnings).toEqual(['[metrics] could not read g: connection refused']);
      logs.filterLogEvents = working;
      expect(messages(await reader.read())).toEqual(['b']);
    },
  );

  it('stops paging when more events share one timestamp than a page holds and no token is given', async () => {
    const logs = new FakeLogs();
    const warnings: string[] = [];
    const reader = new LogReader(logs, { pageSize: 10, warn: (line) => warnings.push(line) });
    for (let i = 0; i < 15; i++) logs.put('g', 's', 1000, `line ${i}`);
    logs.put('g', 's', 1001, 'after');
    expect(messages(await reader.read())).toEqual([
      ...Array.from({ length: 10 }, (_, i) => `line ${i}`),
      'after',
    ]);
    expect(warnings).toEqual(['[metrics] g: over 10 events at 1000; some were not read']);
  });

  it('reads nothing older than its start (npm run logs -- --since), then follows from there', async () => {
    const logs = new FakeLogs();
    logs.put('g', 's', 1_000, 'too old');
    logs.put('g', 's', 9_000, 'recent');
    const reader = new LogReader(logs, { from: 5_000 });
    expect(messages(await reader.read())).toEqual(['recent']);
    logs.put('g', 's', 9_500, 'next');
    logs.put('h', 's', 2_000, 'old, in a group made since');
    expect(messages(await reader.read())).toEqual(['next']);
  });

  it('reads only the groups whose stored bytes changed since their last read, where the port gives them', async () => {
    const logs = new FakeLogs(false, true);
    const reader = new LogReader(logs);
    logs.put('idle', 's', 1_000, 'a');
    logs.put('busy', 's', 1_000, 'b');
    expect(messages(await reader.read()).sort()).toEqual(['a', 'b']);
    logs.readGroups = [];
    logs.put('busy', 's', 2_000, 'c');
    expect(messages(await reader.read())).toEqual(['c']);
    expect(logs.readGroups).toEqual(['busy']);
    logs.readGroups = [];
    expect(messages(await reader.read())).toEqual([]);
    expect(logs.readGroups).toEqual([]);
    // A line stored late with an earlier stamp still grows the group: read within the look-back.
    logs.put('idle', 's', 900, 'late');
    expect(messages(await reader.read())).toEqual(['late']);
    expect(logs.readGroups).toEqual(['idle']);
  });

  it('reads every group on every read where the port gives no stored bytes (AWS)', async () => {
    const logs = new FakeLogs();
    const reader = new LogReader(logs);
    logs.put('g', 's', 1_000, 'a');
    logs.put('h', 's', 1_000, 'b');
    await reader.read();
    logs.readGroups = [];
    await reader.read();
    expect(logs.readGroups.sort()).toEqual(['g', 'h']);
  });
});
