import { describe, expect, it } from 'vitest';
import { formatLogLine, levelOf, parseLevel } from '../../../bin/log-lines.js';
import {
  buildWaterfall,
  parseSpanLine,
  renderWaterfall,
  type TraceSpan,
} from '../../../functions/shared/trace/waterfall.js';

const T0 = Date.parse('2026-12-04T10:00:00.000Z');
const TRACE = '4bf92f3577b34da6a3ce929d0e0e4736';

const span = (
  id: string,
  parent: string | undefined,
  service: string,
  name: string,
  startMs: number,
  durationMs: number,
  extra: Partial<TraceSpan> = {},
): TraceSpan => ({
  trace_id: TRACE,
  span_id: id.padStart(16, '0'),
  ...(parent ? { parent_span_id: parent.padStart(16, '0') } : {}),
  span_name: name,
  span_kind: 'INTERNAL',
  start_time: new Date(T0 + startMs).toISOString(),
  duration_ms: durationMs,
  status: 'ok',
  service,
  ...extra,
});

const booking = [
  span('1', 'ff', 'bookings', 'POST /bookings', 0, 300, { span_kind: 'SERVER' }),
  span('2', '1', 'bookings', 'movies.reserveSeats', 20, 150, { span_kind: 'CLIENT' }),
  span('3', '2', 'movies', 'movies.reserveSeats', 40, 60, { span_kind: 'SERVER' }),
  span('4', '1', 'bookings', 'publish booking.created', 200, 30, { span_kind: 'PRODUCER' }),
  span('5', '1', 'bookings', 'send saga check', 240, 20, { span_kind: 'PRODUCER' }),
  span('6', '5', 'bookings', 'bookings.saga check', 17_300, 80, { span_kind: 'CONSUMER' }),
];

describe('the waterfall', () => {
  it('is the tree of calls whatever order the lines arrive in, children under parents by start time', () => {
    const shuffled = [booking[5], booking[2], booking[0], booking[4], booking[3], booking[1]] as TraceSpan[];
    const waterfall = buildWaterfall(shuffled);
    expect(waterfall?.rows.map((r) => [r.span.span_name, r.depth, r.offsetMs])).toEqual([
      ['POST /bookings', 0, 0],
      ['movies.reserveSeats', 1, 20],
      ['movies.reserveSeats', 2, 40],
      ['publish booking.created', 1, 200],
      ['send saga check', 1, 240],
      ['bookings.saga check', 2, 17_300],
    ]);
    expect(waterfall?.totalMs).toBe(17_380);
    // The root's parent is the client's span, which no log of the stack holds: not an orphan.
    expect(waterfall?.rows.map((r) => r.orphan)).toEqual([false, false, false, false, false, false]);
  });

  it('shows a span whose parent is missing at the top level, marked, rather than dropping it', () => {
    const withoutClientSpan = booking.filter((s) => s.span_id !== '0000000000000002');
    const rows = buildWaterfall(withoutClientSpan)?.rows ?? [];
    expect(rows).toHaveLength(5);
    expect(rows.find((r) => r.span.service === 'movies')).toMatchObject({ depth: 0, orphan: true });
    expect(renderWaterfall({ traceId: TRACE, startMs: T0, totalMs: 17_380, rows })).toContain(
      '(parent not found)',
    );
  });

  it('counts a span read twice once, and survives a cycle of parents', () => {
    expect(buildWaterfall([...booking, ...booking])?.rows).toHaveLength(6);
    const cycle = [span('a', 'b', 's', 'x', 0, 1), span('b', 'a', 's', 'y', 1, 1)];
    expect(
      buildWaterfall(cycle)
        ?.rows.map((r) => r.span.span_name)
        .sort(),
    ).toEqual(['x', 'y']);
    expect(buildWaterfall([])).toBeUndefined();
  });

  it('prints each span with its offset, duration, service, outcome and a bar', () => {
    const failed = [
      ...booking.slice(0, 2),
      { ...booking[2], status: 'error', error_code: 'Conflict' } as TraceSpan,
    ];
    const text = renderWaterfall(
      buildWaterfall(failed) ?? { traceId: '', startMs: 0, totalMs: 0, rows: [] },
      {
        barWidth: 10,
      },
    );
    const lines = text.split('\n');
    expect(lines[0]).toBe(`trace ${TRACE}  3 spans  300ms`);
    expect(lines[2]).toMatch(/^ +\+0ms +300ms {2}bookings +POST \/bookings +SERVER +ok +\|█{10}\|/);
    expect(lines[4]).toMatch(
      /\+40ms +60ms {2}movies {2,}movies\.reserveSeats +SERVER +error Conflict +\| █{2} +\|/,
    );
  });

  it('reads span lines back from logs, and nothing else', () => {
    const line = { level: 'INFO', message: 'span', service: 'movies', ...booking[2] };
    expect(parseSpanLine(`2026-12-04T10:00:00Z\tabc\tINFO\t${JSON.stringify(line)}`)).toMatchObject({
      span_name: 'movies.reserveSeats',
      service: 'movies',
    });
    expect(parseSpanLine(JSON.stringify({ ...line, message: 'request' }))).toBeUndefined();
    expect(parseSpanLine(JSON.stringify({ ...line, start_time: 'yesterday' }))).toBeUndefined();
    expect(parseSpanLine('START RequestId: 1')).toBeUndefined();
  });
});

describe('npm run logs lines', () => {
  it('read levels as typed and from lines', () => {
    expect(parseLevel('warn')).toBe('WARN');
    expect(parseLevel('warning')).toBe('WARN');
    expect(parseLevel('loud')).toBeUndefined();
    expect(levelOf('{"level":"ERROR","message":"x"}')).toBe('ERROR');
    expect(levelOf('2026-12-04T10:00:00Z abc ERROR Invoke Error {"errorMessage":"x"}')).toBe('ERROR');
    expect(levelOf('REPORT RequestId: abc Duration: 2 ms')).toBe('INFO');
  });

  it('print one line per event: time, source, level, message and the line’s own keys', () => {
    const message = JSON.stringify({
      level: 'WARN',
      message: 'rpc request dropped',
      service: 'movies',
      timestamp: '2026-12-04T10:00:00.000Z',
      function_request_id: 'x',
      trace_id: TRACE,
      method: 'reserveSeats',
    });
    expect(formatLogLine({ timestamp: T0, message, source: 'movies/rpc' })).toBe(
      `10:00:00.000 movies/rpc               WARN  rpc request dropped {"trace_id":"${TRACE}","method":"reserveSeats"}`,
    );
    expect(formatLogLine({ timestamp: T0, message: 'START  RequestId: 1\n', source: 'a/b' })).toBe(
      '10:00:00.000 a/b                      INFO  START RequestId: 1',
    );
  });
});
