/**
 * A trace's spans as a waterfall: the tree of who caused what, each span
 * with its start offset from the trace's first span and its duration, ready
 * to print (`npm run trace`) or to draw (the console). Spans arrive from
 * several log groups in any order, some possibly missing (a function still
 * running, a log group not read): a span whose parent is missing is shown at
 * the top level, marked as an orphan, never dropped. Pure: no AWS imports.
 */
import { parseJsonLine } from '../json-line.js';
import { SPAN_MESSAGE, type SpanLine } from './span.js';

/** A span line as read back from a log, with the service that wrote it. */
export interface TraceSpan extends SpanLine {
  service: string;
}

export interface WaterfallRow {
  span: TraceSpan;
  /** 0 for a root (or an orphan), 1 for its children, and so on. */
  depth: number;
  /** Milliseconds from the trace's first span's start. */
  offsetMs: number;
  /**
   * Its parent was named but not found (the trace's first span excepted: its
   * parent is the client's span when the client sent a `traceparent`).
   */
  orphan: boolean;
}

export interface Waterfall {
  traceId: string;
  /** Epoch milliseconds of the earliest start. */
  startMs: number;
  /** Milliseconds from the first start to the last end. */
  totalMs: number;
  rows: WaterfallRow[];
}

const startOf = (span: TraceSpan) => Date.parse(span.start_time);

/** The span a log line holds, if it is a span line (JSON, possibly after a runtime prefix). */
export function parseSpanLine(message: string): TraceSpan | undefined {
  const value = parseJsonLine(message);
  if (
    value?.message !== SPAN_MESSAGE ||
    typeof value.trace_id !== 'string' ||
    typeof value.span_id !== 'string' ||
    typeof value.span_name !== 'string' ||
    typeof value.start_time !== 'string' ||
    Number.isNaN(Date.parse(value.start_time)) ||
    typeof value.duration_ms !== 'number'
  )
    return undefined;
  return {
    ...(value as unknown as SpanLine),
    service: typeof value.service === 'string' ? value.service : '?',
  };
}

/**
 * Arranges one trace's spans as a tree, depth first, siblings by start time.
 * A span seen twice (a log read twice) counts once.
 */
export function buildWaterfall(spans: readonly TraceSpan[]): Waterfall | undefined {
  const byId = new Map<string, TraceSpan>();
  for (const span of spans) if (!byId.has(span.span_id)) byId.set(span.span_id, span);
  const all = [...byId.values()].sort((a, b) => startOf(a) - startOf(b));
  const first = all[0];
  if (!first) return undefined;
  const startMs = startOf(first);
  const children = new Map<string, TraceSpan[]>();
  const roots: TraceSpan[] = [];
  for (const span of all) {
    const parent = span.parent_span_id;
    if (parent && byId.has(parent) && parent !== span.span_id) {
      const siblings = children.get(parent) ?? [];
      siblings.push(span);
      children.set(parent, siblings);
    } else roots.push(span);
  }
  const rows: WaterfallRow[] = [];
  const placed = new Set<string>();
  const visit = (span: TraceSpan, depth: number, orphan: boolean) => {
    if (placed.has(span.span_id)) return;
    placed.add(span.span_id);
    rows.push({ span, depth, offsetMs: startOf(span) - startMs, orphan });
    for (const child of children.get(span.span_id) ?? []) visit(child, depth + 1, false);
  };
  for (const root of roots) visit(root, 0, root !== first && root.parent_span_id !== undefined);
  // Spans in a parent cycle reach no root: shown as orphans rather than lost.
  for (const span of all) visit(span, 0, true);
  const endMs = Math.max(...all.map((s) => startOf(s) + s.duration_ms));
  return { traceId: first.trace_id, startMs, totalMs: endMs - startMs, rows };
}

export interface RenderOptions {
  /** Characters of the bar column. */
  barWidth?: number;
  /** ANSI colours (errors red, orphans yellow). */
  color?: boolean;
}

const ms = (value: number) => (value >= 10_000 ? `${(value / 1000).toFixed(1)}s` : `${Math.round(value)}ms`);

/**
 * The waterfall as text, one line per span: start offset, duration, service,
 * the span's name indented by depth, its kind and outcome, and a bar placed
 * on the trace's time line.
 */
export function renderWaterfall(waterfall: Waterfall, { barWidth = 40, color = false }: RenderOptions = {}) {
  const paint = (code: string, text: string) => (color ? `\u001b[${code}m${text}\u001b[0m` : text);
  const total = Math.max(waterfall.totalMs, 1);
  const nameWidth = Math.max(...waterfall.rows.map((r) => r.depth * 2 + r.span.span_name.length), 4);
  const serviceWidth = Math.max(...waterfall.rows.map((r) => r.span.service.length), 7);
  const header = `${'start'.padStart(8)} ${'took'.padStart(8)}  ${'service'.padEnd(serviceWidth)}  ${'span'.padEnd(nameWidth)}  ${'kind'.padEnd(8)}  outcome`;
  const lines = [
    `trace ${waterfall.traceId}  ${waterfall.rows.length} spans  ${ms(waterfall.totalMs)}`,
    paint('2', header),
  ];
  for (const { span, depth, offsetMs, orphan } of waterfall.rows) {
    const from = Math.min(barWidth - 1, Math.floor((offsetMs / total) * barWidth));
    const length = Math.max(1, Math.round((span.duration_ms / total) * barWidth));
    const bar = `${' '.repeat(from)}${'█'.repeat(Math.min(length, barWidth - from))}`.padEnd(barWidth);
    const failed = span.status === 'error';
    const outcome = failed ? `error ${span.error_code ?? ''}`.trim() : 'ok';
    const name = `${'  '.repeat(depth)}${span.span_name}`.padEnd(nameWidth);
    const line = `${`+${ms(offsetMs)}`.padStart(8)} ${ms(span.duration_ms).padStart(8)}  ${span.service.padEnd(serviceWidth)}  ${name}  ${span.span_kind.padEnd(8)}  ${outcome.padEnd(18)} |${bar}|${orphan ? ' (parent not found)' : ''}`;
    lines.push(failed ? paint('31', line) : orphan ? paint('33', line) : line);
  }
  return lines.join('\n');
}
