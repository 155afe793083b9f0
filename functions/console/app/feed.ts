/** The live panel's list of feed messages: newest on top, capped, filterable. Pure. */

export interface FeedMessage {
  timestamp: string;
  service: string;
  type: string;
  requestId: string;
  data: unknown;
  /** W3C trace context of the span that published it: the Trace page shows its trace to admins. */
  traceparent?: string;
}

export interface FeedEntry {
  message: FeedMessage;
  /** When the browser received it (epoch ms). */
  arrivedAt: number;
  /** Unique within the panel, for keyed rendering. */
  key: number;
}

export interface FeedFilter {
  /** Empty: every service. */
  service: string;
  /** Substring of the type; empty: every type. */
  type: string;
}

export const MAX_ENTRIES = 200;

let nextKey = 0;

/** Adds a message on top, dropping the oldest beyond `max`. */
export function addEntry(
  entries: readonly FeedEntry[],
  message: FeedMessage,
  arrivedAt: number,
  max = MAX_ENTRIES,
): FeedEntry[] {
  nextKey += 1;
  return [{ message, arrivedAt, key: nextKey }, ...entries].slice(0, max);
}

export function matches(entry: FeedEntry, filter: FeedFilter): boolean {
  return (
    (filter.service === '' || entry.message.service === filter.service) &&
    (filter.type === '' || entry.message.type.toLowerCase().includes(filter.type.toLowerCase()))
  );
}

export function filterEntries(entries: readonly FeedEntry[], filter: FeedFilter): FeedEntry[] {
  return entries.filter((entry) => matches(entry, filter));
}

/** The services seen so far, sorted, for the filter's choices. */
export function servicesOf(entries: readonly FeedEntry[]): string[] {
  return [...new Set(entries.map((entry) => entry.message.service))].sort();
}

/** Parses a WebSocket frame; undefined if it is not a feed message. */
export function parseFrame(text: string): FeedMessage | undefined {
  try {
    const value = JSON.parse(text) as Partial<FeedMessage>;
    if (
      typeof value.service === 'string' &&
      typeof value.type === 'string' &&
      typeof value.timestamp === 'string'
    ) {
      return value as FeedMessage;
    }
  } catch {
    // not JSON: not ours
  }
  return undefined;
}

/**
 * The live feed's WebSocket URL for a console at `location`: under a local
 * stack's `/_aws/execute-api/<id>/<stage>/` prefix, the same host and prefix
 * with the WebSocket API's id; on AWS, the stage URL the stack reported.
 */
export function liveFeedUrl(
  location: { protocol: string; host: string; pathname: string },
  config: { liveFeedApiId: string; liveFeedStage: string; liveFeedUrl: string },
): string {
  const local = /^(.*\/_aws\/execute-api\/)[^/]+\/[^/]+\//.exec(location.pathname);
  if (local) {
    const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
    return `${scheme}//${location.host}${local[1]}${config.liveFeedApiId}/${config.liveFeedStage}`;
  }
  return config.liveFeedUrl;
}

/** Longest one-line summary of a message's data, in characters. */
export const SUMMARY_LENGTH = 120;

/** A value as a person reads it on one line: strings bare, the rest as compact JSON. */
function shortValue(value: unknown): string {
  if (typeof value === 'string') return value;
  if (value === null || typeof value !== 'object') return String(value);
  const text = JSON.stringify(value);
  return text.length > 40 ? `${text.slice(0, 39)}…` : text;
}

/**
 * One line for a feed row: its data's fields as `key value` pairs in their
 * order (`status 200 · param HeLLo · answer hello`), cut at `max` characters;
 * the full JSON is one click away.
 */
export function summaryOf(data: unknown, max = SUMMARY_LENGTH): string {
  let line: string;
  if (data === null || data === undefined) line = '';
  else if (typeof data !== 'object' || Array.isArray(data)) line = shortValue(data);
  else
    line = Object.entries(data as Record<string, unknown>)
      .map(([key, value]) => `${key} ${shortValue(value)}`)
      .join(' · ');
  return line.length > max ? `${line.slice(0, max - 1)}…` : line;
}
