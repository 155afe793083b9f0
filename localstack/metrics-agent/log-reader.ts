/**
 * Reads new events of every log group on the local stack, each exactly once,
 * from a position remembered per log group: the reading side of the local
 * CloudWatch agent. It talks to CloudWatch Logs through a small port, so the
 * position logic is unit-tested with a fake.
 */

/** A log event as FilterLogEvents returns it. */
export interface LogEvent {
  timestamp?: number;
  message?: string;
  logStreamName?: string;
  /** AWS gives every event one; MiniStack gives none to the lines of Lambda functions. */
  eventId?: string;
}

/** A log group as DescribeLogGroups lists it. */
export interface LogGroup {
  name: string;
  /**
   * Its stored bytes, where the service keeps them current as lines arrive (MiniStack does; AWS
   * updates them only now and then, so a port over AWS leaves this out): a group whose count has
   * not changed since its last read got no line, and is not read again.
   */
  storedBytes?: number;
}

/** The part of CloudWatch Logs the reader uses. */
export interface LogsPort {
  /** Every log group (all pages). */
  logGroups(): Promise<LogGroup[]>;
  /** One FilterLogEvents call. */
  filterLogEvents(input: {
    logGroupName: string;
    startTime: number;
    filterPattern?: string;
    limit: number;
    nextToken?: string;
  }): Promise<{ events?: LogEvent[]; nextToken?: string }>;
}

export interface LogReaderOptions {
  /**
   * How far before the newest event seen each read starts again, in ms. An
   * event can be stored after a later-stamped one (two functions writing at
   * once: MiniStack stamps a function's lines when it takes them, then stores
   * them), so each read looks back this far and drops what it had already seen.
   */
  lookbackMs?: number;
  /** Events per FilterLogEvents call (10,000 at most, as on AWS). */
  pageSize?: number;
  /** Only events matching this filter pattern are read (a term keeps the transfer to EMF lines). */
  filterPattern?: string;
  /** Epoch ms before which nothing is read (`npm run logs -- --since 15m`); from the start by default. */
  from?: number;
  warn?: (line: string) => void;
}

/** How far back each read starts before the newest event seen (see {@link LogReaderOptions.lookbackMs}). */
export const LOOKBACK_MS = 5_000;

/** Log groups read at once. */
const READS_AT_ONCE = 4;

interface Position {
  /** The newest timestamp seen in the group. */
  newest: number;
  /** The group's stored bytes when it was last read, where the port gives them. */
  storedBytes?: number;
  /** Events already read, with their timestamps, from `newest - lookbackMs` on. */
  seen: Map<string, number>;
}

/**
 * Remembers, per log group, where it has read up to; {@link LogReader.read}
 * returns the events that arrived since the last call, in every log group
 * (groups made since are read from their start).
 *
 * MiniStack's FilterLogEvents has no nextToken (AWS's has): a full page means
 * there may be more, and the next page starts at the last timestamp of this
 * one. Both kinds of overlap (the look-back and that restart) are dropped by
 * identity: the event's id, or, where it has none, its stream, timestamp and
 * its rank among the events of that stream with that timestamp (a stream's
 * events are returned in the order they were stored).
 */
export class LogReader {
  private readonly positions = new Map<string, Position>();
  private readonly lookbackMs: number;
  private readonly pageSize: number;
  private readonly filterPattern: string | undefined;
  private readonly from: number;
  private readonly warn: (line: string) => void;

  constructor(
    private readonly logs: LogsPort,
    {
      lookbackMs = LOOKBACK_MS,
      pageSize = 10_000,
      filterPattern,
      from = 0,
      warn = () => {},
    }: LogReaderOptions = {},
  ) {
    this.from = from;
    this.lookbackMs = lookbackMs;
    this.pageSize = pageSize;
    this.filterPattern = filterPattern;
    this.warn = warn;
  }

  /**
   * The new events of every log group, group by group. A group whose stored bytes the port gives,
   * unchanged since its last read, is not read: on an idle stack most groups are, every second.
   */
  async read(): Promise<{ logGroupName: string; events: LogEvent[] }[]> {
    const groups = await this.logs.logGroups();
    const known = new Set(groups.map((group) => group.name));
    for (const name of this.positions.keys()) if (!known.has(name)) this.positions.delete(name);
    const grown = groups.filter(
      (group) =>
        group.storedBytes === undefined || group.storedBytes !== this.positions.get(group.name)?.storedBytes,
    );
    const results: { logGroupName: string; events: LogEvent[] }[] = [];
    // A few groups at a time: a read waits mostly on the stack, and one group after another would
    // make the last group of a long list wait for all the others.
    let next = 0;
    const worker = async () => {
      while (next < grown.length) {
        const { name: logGroupName, storedBytes } = grown[next++] as LogGroup;
        try {
          // The bytes were counted before the read: a line stored meanwhile is read now and again next time.
          const events = await this.readGroup(logGroupName, storedBytes);
          if (events.length > 0) results.push({ logGroupName, events });
        } catch (error) {
          // A group deleted meanwhile, or a passing error: its position is kept, so the next read catches up.
          this.warn(`[metrics] could not read ${logGroupName}: ${(error as Error).message}`);
        }
      }
    };
    await Promise.all(Array.from({ length: READS_AT_ONCE }, worker));
    return results;
  }

  private async readGroup(logGroupName: string, storedBytes: number | undefined): Promise<LogEvent[]> {
    const position = this.positions.get(logGroupName) ?? {
      newest: this.from,
      seen: new Map<string, number>(),
    };
    const fresh: LogEvent[] = [];
    const seenNow = new Map<string, number>();
    let startTime = Math.max(this.from, position.newest - this.lookbackMs);
    let newest = position.newest;
    let nextToken: string | undefined;
    // Ranks of events without ids, per stream and timestamp, counted from the query's startTime.
    let ranks = new Map<string, number>();
    for (;;) {
      const page = await this.logs.filterLogEvents({
        logGroupName,
        startTime,
        limit: this.pageSize,
        ...(this.filterPattern ? { filterPattern: this.filterPattern } : {}),
        ...(nextToken ? { nextToken } : {}),
      });
      const events = page.events ?? [];
      let added = 0;
      for (const event of events) {
        const timestamp = event.timestamp ?? 0;
        let key = event.eventId;
        if (!key) {
          const slot = `${event.logStreamName ?? ''}\u0000${timestamp}`;
          const rank = ranks.get(slot) ?? 0;
          ranks.set(slot, rank + 1);
          key = `${slot}\u0000${rank}`;
        }
        if (position.seen.has(key) || seenNow.has(key)) continue;
        seenNow.set(key, timestamp);
        fresh.push(event);
        added++;
        if (timestamp > newest) newest = timestamp;
      }
      if (page.nextToken) {
        nextToken = page.nextToken;
        continue;
      }
      if (events.length < this.pageSize) break;
      // A full page without a token (MiniStack): read on from its last timestamp.
      const last = events[events.length - 1]?.timestamp ?? startTime;
      if (last > startTime) {
        startTime = last;
      } else if (added === 0) {
        // More events with one timestamp than a page holds, and no token to page through them.
        this.warn(`[metrics] ${logGroupName}: over ${this.pageSize} events at ${last}; some were not read`);
        startTime = last + 1;
      }
      nextToken = undefined;
      ranks = new Map();
    }
    for (const [key, timestamp] of seenNow) position.seen.set(key, timestamp);
    position.newest = newest;
    position.storedBytes = storedBytes;
    const horizon = newest - this.lookbackMs;
    for (const [key, timestamp] of position.seen) if (timestamp < horizon) position.seen.delete(key);
    this.positions.set(logGroupName, position);
    return fresh;
  }
}
