/**
 * What the Trace page shows of a waterfall (`GET /traces/{id}`), kept apart
 * from the page so it is tested without a browser: each span's text (start
 * offset, duration, outcome) and where its bar sits on the trace's time line,
 * in a view box of {@link BAR_WIDTH}. Pure.
 */

/** A span as the API answers it (functions/shared/trace/waterfall.ts). */
export interface TraceSpan {
  trace_id: string;
  span_id: string;
  parent_span_id?: string;
  span_name: string;
  span_kind: string;
  start_time: string;
  duration_ms: number;
  status: 'ok' | 'error';
  error_code?: string;
  service: string;
}

export interface TraceRow {
  span: TraceSpan;
  depth: number;
  offsetMs: number;
  orphan: boolean;
}

export interface TraceAnswer {
  traceId: string;
  startMs: number;
  totalMs: number;
  rows: TraceRow[];
  otherTraces: string[];
}

/** The bars' view box width: a bar's x and width are in these units. */
export const BAR_WIDTH = 1000;
/** The deepest indentation drawn (deeper spans stay at this level; their text says their depth). */
export const MAX_INDENT = 8;

/** The console's route of the trace an id names (a trace, request or booking id). */
export const traceRoute = (id: string) => `trace/${encodeURIComponent(id)}`;

const TRACEPARENT = /^[0-9a-f]{2}-([0-9a-f]{32})-[0-9a-f]{16}-[0-9a-f]{2}$/;

/** The trace id of a W3C `traceparent` (a feed message's), if it is one. */
export function traceIdOf(traceparent: string | undefined): string | undefined {
  const id = TRACEPARENT.exec(traceparent ?? '')?.[1];
  return id && !/^0+$/.test(id) ? id : undefined;
}

/** A duration as people read it: `12 ms`, `1.2 s` (a no-break space: the unit stays with its number). */
export const formatMs = (ms: number) =>
  ms >= 1000 ? `${(ms / 1000).toFixed(1)}\u00a0s` : `${Math.round(ms)}\u00a0ms`;

/** A span's name in parts that may wrap after each `.`, `/` or space (`movies.` `reserveSeats`), none lost. */
export const nameParts = (name: string): string[] => name.split(/(?<=[./ ])/);

export interface RowView {
  key: string;
  name: string;
  service: string;
  kind: string;
  /** 0 .. {@link MAX_INDENT}. */
  indent: number;
  depth: number;
  start: string;
  took: string;
  failed: boolean;
  /** `ok`, or `error <code>`. */
  outcome: string;
  /** The error's code when it failed (empty when the span named none). */
  errorCode: string;
  orphan: boolean;
  /** The bar, in view-box units; at least 2 wide so the shortest span shows. */
  bar: { x: number; width: number };
}

/** Each row of a waterfall as the page draws it. */
export function rowViews(trace: TraceAnswer): RowView[] {
  const total = Math.max(trace.totalMs, 1);
  return trace.rows.map(({ span, depth, offsetMs, orphan }) => {
    const x = Math.min(BAR_WIDTH - 2, Math.max(0, (offsetMs / total) * BAR_WIDTH));
    const width = Math.min(BAR_WIDTH - x, Math.max(2, (span.duration_ms / total) * BAR_WIDTH));
    const failed = span.status === 'error';
    return {
      key: span.span_id,
      name: span.span_name,
      service: span.service,
      kind: span.span_kind,
      indent: Math.min(depth, MAX_INDENT),
      depth,
      start: `+${formatMs(offsetMs)}`,
      took: formatMs(span.duration_ms),
      failed,
      outcome: failed ? `error ${span.error_code ?? ''}`.trim() : 'ok',
      errorCode: failed ? (span.error_code ?? '') : '',
      orphan,
      bar: { x: Math.round(x * 10) / 10, width: Math.round(width * 10) / 10 },
    };
  });
}

/** A trace named in a message, as the API's answers to admins name it: `trace <trace id>`. */
const TRACE_MENTION = /(trace [0-9a-f]{32})/;

/**
 * A message in parts, each trace it names apart with its id, so the page
 * can link it to the Trace page: `failed (trace 4bf9…)` ->
 * `['failed (', { text: 'trace 4bf9…', traceId: '4bf9…' }, ')']`.
 */
export function traceMentions(text: string): Array<string | { text: string; traceId: string }> {
  return text
    .split(TRACE_MENTION)
    .filter((part) => part !== '')
    .map((part) => (TRACE_MENTION.test(part) ? { text: part, traceId: part.slice('trace '.length) } : part));
}
