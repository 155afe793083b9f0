import { describe, expect, it } from 'vitest';
import {
  BAR_WIDTH,
  formatMs,
  nameParts,
  rowViews,
  type TraceAnswer,
  type TraceRow,
  traceIdOf,
  traceMentions,
  traceRoute,
} from '../../../functions/console/app/trace-view.js';

const TRACE = '4bf92f3577b34da6a3ce929d0e0e4736';

const row = (
  id: string,
  name: string,
  depth: number,
  offsetMs: number,
  durationMs: number,
  extra: Partial<TraceRow['span']> = {},
  orphan = false,
): TraceRow => ({
  span: {
    trace_id: TRACE,
    span_id: id,
    span_name: name,
    span_kind: 'SERVER',
    start_time: '2026-12-04T10:00:00.000Z',
    duration_ms: durationMs,
    status: 'ok',
    service: 'bookings',
    ...extra,
  },
  depth,
  offsetMs,
  orphan,
});

const trace = (rows: TraceRow[], totalMs: number): TraceAnswer => ({
  traceId: TRACE,
  startMs: 0,
  totalMs,
  rows,
  otherTraces: [],
});

describe('the trace page’s rows', () => {
  it('place each bar by its start and duration on the trace’s time line, the shortest still visible', () => {
    const views = rowViews(
      trace(
        [
          row('a', 'POST /bookings', 0, 0, 2000),
          row('b', 'movies.reserveSeats', 1, 500, 1000),
          row('c', 'x', 2, 1999, 0),
        ],
        2000,
      ),
    );
    // The third starts at the very end and takes no time: drawn 2 units wide, inside the box.
    expect(views.map((v) => v.bar)).toEqual([
      { x: 0, width: BAR_WIDTH },
      { x: 250, width: 500 },
      { x: 998, width: 2 },
    ]);
    expect(views.map((v) => [v.start, v.took, v.indent])).toEqual([
      ['+0\u00a0ms', '2.0\u00a0s', 0],
      ['+500\u00a0ms', '1.0\u00a0s', 1],
      ['+2.0\u00a0s', '0\u00a0ms', 2],
    ]);
  });

  it('say an error with its code, mark orphans, and cap the indentation of deep spans', () => {
    const [failed, orphan, deep] = rowViews(
      trace(
        [
          row('a', 'movies.reserveSeats', 0, 0, 10, { status: 'error', error_code: 'Timeout' }),
          row('b', 'bookings.saga check', 0, 5, 1, {}, true),
          row('c', 'deep', 12, 5, 1),
        ],
        10,
      ),
    );
    expect(failed).toMatchObject({
      failed: true,
      outcome: 'error Timeout',
      errorCode: 'Timeout',
      orphan: false,
    });
    expect(orphan).toMatchObject({ failed: false, outcome: 'ok', orphan: true });
    expect(deep).toMatchObject({ indent: 8, depth: 12 });
  });

  it('draw a trace of one instant span without dividing by zero', () => {
    expect(rowViews(trace([row('a', 'GET /x', 0, 0, 0)], 0))[0]?.bar).toEqual({ x: 0, width: 2 });
  });
});

describe('links to a trace', () => {
  it('read the trace id of a feed message’s traceparent, and nothing else', () => {
    expect(traceIdOf(`00-${TRACE}-00f067aa0ba902b7-01`)).toBe(TRACE);
    expect(traceIdOf(`00-${'0'.repeat(32)}-00f067aa0ba902b7-01`)).toBeUndefined();
    expect(traceIdOf('garbage')).toBeUndefined();
    expect(traceIdOf(undefined)).toBeUndefined();
  });

  it('route to the trace page with the id', () => {
    expect(traceRoute('01JEXAMPLE')).toBe('trace/01JEXAMPLE');
    expect(formatMs(999.6)).toBe('1000\u00a0ms');
    expect(nameParts('POST /bookings/{id}')).toEqual(['POST ', '/', 'bookings/', '{id}']);
    expect(nameParts('movies.reserveSeats').join('')).toBe('movies.reserveSeats');
  });

  it('find the traces a message names, keeping every other word', () => {
    expect(traceMentions(`the movies service did not answer (trace ${TRACE})`)).toEqual([
      'the movies service did not answer (',
      { text: `trace ${TRACE}`, traceId: TRACE },
      ')',
    ]);
    expect(traceMentions('no trace here')).toEqual(['no trace here']);
  });
});
