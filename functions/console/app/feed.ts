/** The live panel's list of feed messages: newest on top, capped, filterable. Pure. */

export interface FeedMessage {
  timestamp: string;
  service: string;
  type: string;
  requestId: string;
  data: unknown;
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
