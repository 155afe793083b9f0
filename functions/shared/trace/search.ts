/**
 * Finds one trace in the stack's function log groups: from its trace id, or
 * from any id a line of it names (a request id, a booking id), reads every
 * span line of it and arranges them as a waterfall. One implementation for
 * `npm run trace` (bin/trace.ts, with the caller's credentials) and the
 * admins' `GET /traces/{id}` (functions/status), each giving it the groups
 * to search and a way to call FilterLogEvents. No AWS imports: the caller
 * passes the call, so unit tests pass a fake.
 */
import { parseJsonLine } from '../json-line.js';
import { isTraceId } from './context.js';
import { buildWaterfall, parseSpanLine, type TraceSpan, type Waterfall } from './waterfall.js';

/** A log event as FilterLogEvents returns it. */
export interface FoundLogEvent {
  timestamp?: number | undefined;
  message?: string | undefined;
}

/** One FilterLogEvents call (all the search needs of CloudWatch Logs). */
export type FilterLogEvents = (input: {
  logGroupName: string;
  filterPattern: string;
  startTime: number;
  nextToken?: string | undefined;
}) => Promise<{ events?: FoundLogEvent[] | undefined; nextToken?: string | undefined }>;

/** Where to search: the call, and the function log groups (the trace readers' own left out, see {@link findTrace}). */
export interface TraceSearch {
  filter: FilterLogEvents;
  groups: readonly string[];
}

/**
 * What may be looked up: a trace id, or an id a log line names (a request
 * id, a booking id): letters, digits, `-` and `_`, 8 to 64 of them. Nothing
 * else, so the id can be quoted as a CloudWatch Logs filter term as it is.
 */
export const LOOKUP_ID_PATTERN = /^[A-Za-z0-9_-]{8,64}$/;

/** What a bad id is told. */
export const LOOKUP_ID_RULE =
  'must be a trace id, a request id or a booking id: 8 to 64 letters, digits, - or _';

/** Groups read at once: a read waits mostly on the service. */
const READS_AT_ONCE = 6;

/** A found event with the log group it came from. */
export interface GroupLogEvent extends FoundLogEvent {
  logGroupName: string;
}

/**
 * Every event of the groups containing `term` (quoted, so matched as a
 * whole) since `startTime`, all pages, merged by time.
 */
export async function searchLogs(
  { filter, groups }: TraceSearch,
  term: string,
  startTime: number,
): Promise<GroupLogEvent[]> {
  const found: GroupLogEvent[] = [];
  let next = 0;
  const worker = async () => {
    while (next < groups.length) {
      const logGroupName = groups[next++] as string;
      let nextToken: string | undefined;
      do {
        const page = await filter({ logGroupName, filterPattern: `"${term}"`, startTime, nextToken });
        for (const event of page.events ?? []) found.push({ ...event, logGroupName });
        nextToken = page.nextToken;
      } while (nextToken);
    }
  };
  await Promise.all(Array.from({ length: READS_AT_ONCE }, worker));
  return found.sort((a, b) => (a.timestamp ?? 0) - (b.timestamp ?? 0));
}

/**
 * The trace ids of the lines that name `id`, the earliest first (a booking's
 * id is named by the trace that created it, then by any that read or changed it).
 */
export async function tracesNaming(search: TraceSearch, id: string, startTime: number): Promise<string[]> {
  if (isTraceId(id)) return [id];
  const traces: string[] = [];
  for (const event of await searchLogs(search, id, startTime)) {
    const traceId = parseJsonLine(event.message ?? '')?.trace_id;
    if (typeof traceId === 'string' && isTraceId(traceId) && !traces.includes(traceId)) traces.push(traceId);
  }
  return traces;
}

/** Every span line of a trace since `startTime`. */
export async function spansOf(search: TraceSearch, traceId: string, startTime: number): Promise<TraceSpan[]> {
  return (await searchLogs(search, traceId, startTime)).flatMap((event) => {
    const span = parseSpanLine(event.message ?? '');
    return span && span.trace_id === traceId ? [span] : [];
  });
}

/** A trace found: its waterfall, and the other traces naming the id looked up. */
export interface FoundTrace extends Waterfall {
  /** Later traces whose lines name the id too (requests that read or changed a booking). */
  otherTraces: string[];
}

/** Why nothing was found: no line names the id, or its trace has no span line (yet). */
export type TraceLookup = { found: FoundTrace } | { missing: 'id' } | { missing: 'spans'; traceId: string };

/**
 * One id's trace, as `npm run trace` and `GET /traces/{id}` show it: a
 * trace id as it is, any other id through the earliest trace whose lines
 * name it. The groups searched leave out those of the functions that read
 * traces: a lookup's own lines name the id looked up, and would otherwise
 * make an unknown id found the second time it is asked for.
 */
export async function findTrace(search: TraceSearch, id: string, startTime: number): Promise<TraceLookup> {
  const [traceId, ...otherTraces] = await tracesNaming(search, id, startTime);
  if (!traceId) return { missing: 'id' };
  const waterfall = buildWaterfall(await spansOf(search, traceId, startTime));
  if (!waterfall) return { missing: 'spans', traceId };
  return { found: { ...waterfall, otherTraces } };
}
