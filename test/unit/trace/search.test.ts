import { describe, expect, it } from 'vitest';
import { NotFoundError } from '../../../functions/shared/errors.js';
import { httpHandler } from '../../../functions/shared/http/middleware.js';
import {
  type FilterLogEvents,
  findTrace,
  LOOKUP_ID_PATTERN,
  type TraceSearch,
  tracesNaming,
} from '../../../functions/shared/trace/search.js';
import type { SpanLine } from '../../../functions/shared/trace/span.js';
import { readTrace } from '../../../functions/status/domain/trace.js';
import { traceRoutes } from '../../../functions/status/routes.js';
import { apiEvent, lambdaContext } from '../../support/api-events.js';

const TRACE = '4bf92f3577b34da6a3ce929d0e0e4736';
const LATER = '0af7651916cd43dd8448eb211c80319c';
const BOOKING = '01JEXAMPLEBOOKING000000000';
const T0 = Date.parse('2026-12-04T10:00:00.000Z');

/** A span line as a function writes it: Powertools' keys, then the span's. */
function spanLine(
  service: string,
  id: string,
  parent: string | undefined,
  name: string,
  at: number,
  trace = TRACE,
) {
  const line: SpanLine & { level: string; message: string; service: string } = {
    level: 'INFO',
    message: 'span',
    service,
    trace_id: trace,
    span_id: id.padStart(16, '0'),
    ...(parent ? { parent_span_id: parent.padStart(16, '0') } : {}),
    span_name: name,
    span_kind: 'INTERNAL',
    start_time: new Date(T0 + at).toISOString(),
    duration_ms: 10,
    status: 'ok',
  };
  return { timestamp: T0 + at + 10, message: JSON.stringify(line) };
}

const info = (message: string, keys: Record<string, unknown>, at: number) => ({
  timestamp: T0 + at,
  message: `2026-12-04T10:00:00.000Z\tid\tINFO\t${JSON.stringify({ level: 'INFO', message, ...keys })}`,
});

/** Log groups as FilterLogEvents sees them, in pages of one event; records what it was asked. */
function fakeLogs(groups: Record<string, Array<{ timestamp: number; message: string }>>) {
  const asked: Array<{ logGroupName: string; filterPattern: string; startTime: number }> = [];
  const filter: FilterLogEvents = async ({ logGroupName, filterPattern, startTime, nextToken }) => {
    asked.push({ logGroupName, filterPattern, startTime });
    const term = filterPattern.slice(1, -1);
    const matching = (groups[logGroupName] ?? []).filter(
      (e) => e.message.includes(term) && e.timestamp >= startTime,
    );
    const at = Number(nextToken ?? 0);
    return {
      events: matching.slice(at, at + 1),
      ...(at + 1 < matching.length ? { nextToken: String(at + 1) } : {}),
    };
  };
  const search: TraceSearch = { filter, groups: Object.keys(groups) };
  return { search, asked };
}

const stack = () =>
  fakeLogs({
    '/microservices/S/bookings/bookings': [
      spanLine('bookings', '1', undefined, 'POST /bookings', 0),
      info('booking created', { trace_id: TRACE, bookingId: BOOKING }, 5),
      spanLine('bookings', '2', '1', 'movies.reserveSeats', 2),
      // A later read of the booking: another trace naming it.
      info('request', { trace_id: LATER, path: `/bookings/${BOOKING}` }, 60_000),
      spanLine('bookings', '9', undefined, 'GET /bookings/{id}', 60_000, LATER),
    ],
    '/microservices/S/movies/rpc': [spanLine('movies', '3', '2', 'movies.reserveSeats', 4)],
  });

describe('finding a trace in the function logs', () => {
  it('takes a trace id as it is, and any other id through the earliest trace whose lines name it', async () => {
    const { search } = stack();
    expect(await tracesNaming(search, TRACE, 0)).toEqual([TRACE]);
    expect(await tracesNaming(search, BOOKING, 0)).toEqual([TRACE, LATER]);
    expect(await tracesNaming(search, 'nothing-names-this', 0)).toEqual([]);
  });

  it('reads every page of every group, quoting the id as one term, and builds the tree across services', async () => {
    const { search, asked } = stack();
    const lookup = await findTrace(search, BOOKING, T0 - 1000);
    if (!('found' in lookup)) throw new Error(`not found: ${JSON.stringify(lookup)}`);
    expect(lookup.found.traceId).toBe(TRACE);
    expect(lookup.found.otherTraces).toEqual([LATER]);
    expect(lookup.found.rows.map((r) => [r.span.service, r.span.span_name, r.depth])).toEqual([
      ['bookings', 'POST /bookings', 0],
      ['bookings', 'movies.reserveSeats', 1],
      ['movies', 'movies.reserveSeats', 2],
    ]);
    expect(new Set(asked.map((a) => a.filterPattern))).toEqual(new Set([`"${BOOKING}"`, `"${TRACE}"`]));
    expect(new Set(asked.map((a) => a.startTime))).toEqual(new Set([T0 - 1000]));
    // Three spans of the trace in the bookings group, one event a page: every page was read.
    expect(asked.filter((a) => a.filterPattern === `"${TRACE}"`).length).toBeGreaterThanOrEqual(4);
  });

  it('says what is missing: no line naming the id, or a trace without span lines in the window', async () => {
    const { search } = stack();
    expect(await findTrace(search, 'nothing-names-this', 0)).toEqual({ missing: 'id' });
    const onlyNamed = fakeLogs({ '/g': [info('hello', { trace_id: TRACE, bookingId: BOOKING }, 0)] });
    expect(await findTrace(onlyNamed.search, BOOKING, 0)).toEqual({ missing: 'spans', traceId: TRACE });
    // Before the window: nothing.
    expect(await findTrace(stack().search, BOOKING, T0 + 120_000)).toEqual({ missing: 'id' });
  });

  it('accepts trace, request and booking ids, and nothing that could break out of a quoted filter term', () => {
    for (const id of [TRACE, BOOKING, 'c6af9ac6-7b61-11e6-9a41-93e8deadbeef'])
      expect(LOOKUP_ID_PATTERN.test(id), id).toBe(true);
    for (const id of ['short', 'a"b-c-d-e-f', 'x'.repeat(65), 'two words here', '01JE/../x'])
      expect(LOOKUP_ID_PATTERN.test(id), id).toBe(false);
  });
});

describe('GET /traces/{id}', () => {
  it('answers the waterfall of the id’s trace, and 404 naming what is missing', async () => {
    const { search } = stack();
    const found = await readTrace(search, BOOKING, 86_400, T0 + 120_000);
    expect(found.rows).toHaveLength(3);
    await expect(readTrace(search, 'nothing-names-this', 86_400, T0)).rejects.toThrow(NotFoundError);
    await expect(readTrace(search, BOOKING, 60, T0 + 3_600_000)).rejects.toThrow(/names 01JEXAMPLE/);
  });

  const asked: Array<{ id: string; since: string }> = [];
  const handler = httpHandler(traceRoutes, {
    trace: async ({ params, query }) => {
      asked.push({ id: params.id, since: query.since });
      return { traceId: TRACE, startMs: T0, totalMs: 0, rows: [], otherTraces: [] };
    },
  });
  const get = (id: string, query: Record<string, string> | null = null) =>
    handler(
      apiEvent({
        resource: '/traces/{id}',
        path: `/traces/${id}`,
        pathParameters: { id },
        queryStringParameters: query,
        requestContext: {
          requestId: 'req-1',
          authorizer: { userId: 'a-1', role: 'admin' },
        } as never,
      }),
      lambdaContext,
    );

  it('reads the id and the window, a day by default', async () => {
    expect((await get(BOOKING)).statusCode).toBe(200);
    expect((await get(TRACE, { since: '15m' })).statusCode).toBe(200);
    expect(asked.slice(-2)).toEqual([
      { id: BOOKING, since: '1d' },
      { id: TRACE, since: '15m' },
    ]);
  });

  it('refuses a malformed id or window with 400 naming the field', async () => {
    const badId = await get('not"an id');
    expect(badId.statusCode).toBe(400);
    expect(JSON.parse(badId.body).fields).toEqual([
      { field: 'params.id', message: expect.stringContaining('must be a trace id') },
    ]);
    const badWindow = await get(BOOKING, { since: '2d' });
    expect(badWindow.statusCode).toBe(400);
    expect(JSON.parse(badWindow.body).fields).toEqual([
      { field: 'query.since', message: expect.stringContaining('must be a duration') },
    ]);
  });
});
