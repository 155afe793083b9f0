/**
 * Spans as log lines. A span is one unit of work of a trace: an event a
 * function handles (kind SERVER or CONSUMER) or a call it makes to another
 * service or queue (CLIENT or PRODUCER), named as OpenTelemetry names them.
 * When it ends it is written as one structured line (see {@link spanLine});
 * `npm run trace` reads those lines back and assembles the tree. The active
 * span is kept in AsyncLocalStorage, so records handled in parallel in one
 * invocation each keep their own, and every log line written while a span is
 * active carries its trace and span ids (./log-formatter.ts).
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { errorCode } from '../errors.js';
import { newSpanId, newTraceId, type TraceContext } from './context.js';

/** OpenTelemetry's span kinds. */
export type SpanKind = 'SERVER' | 'CLIENT' | 'PRODUCER' | 'CONSUMER' | 'INTERNAL';

export type SpanAttributes = Record<string, string | number | boolean>;

/** A span in progress. */
export interface Span extends TraceContext {
  /** What was done: `POST /bookings`, `movies.reserveSeats`, `publish booking.created`. */
  readonly name: string;
  readonly kind: SpanKind;
  /** The span that caused this one (in this function or the previous hop); none for a trace's root. */
  readonly parentSpanId?: string;
  /** Epoch milliseconds. */
  readonly startTime: number;
  /** `performance.now()` at the start, for a duration finer than a millisecond. */
  readonly startClock: number;
  readonly attributes: SpanAttributes;
}

/** How a span ended: `ok`, or `error` with the error's code. Lowercase on purpose: see {@link spanLine}. */
export interface SpanOutcome {
  status: 'ok' | 'error';
  errorCode?: string;
}

/** One span as a log line's fields (OpenTelemetry's names, snake_case like Powertools' own keys). */
export interface SpanLine {
  trace_id: string;
  span_id: string;
  parent_span_id?: string;
  span_name: string;
  span_kind: SpanKind;
  /** ISO-8601 UTC. */
  start_time: string;
  duration_ms: number;
  status: 'ok' | 'error';
  error_code?: string;
  attributes?: SpanAttributes;
}

/** The message of every span line: what `npm run trace` and `npm run logs` look for. */
export const SPAN_MESSAGE = 'span';

export interface StartOptions {
  /**
   * The context the span continues: the previous hop's, read from what
   * carried it. Omitted: the active span in this function. `null`: none, so
   * the span starts a new trace.
   */
  parent?: TraceContext | null;
  attributes?: SpanAttributes;
  /** Epoch milliseconds; defaults to now. */
  startTime?: number;
}

const active = new AsyncLocalStorage<Span>();

/** Where span lines go: the function's logger (set by ./log-formatter.ts), or nowhere until then. */
let writeLine: (line: SpanLine) => void = () => undefined;

/** Sets where ended spans are written (the function's logger). */
export function writeSpansWith(writer: (line: SpanLine) => void): void {
  writeLine = writer;
}

/** The span the running code belongs to, if any. */
export function activeSpan(): Span | undefined {
  return active.getStore();
}

/** Starts a span: a child of `parent`, else of the active span, else the root of a new trace. */
export function startSpan(name: string, kind: SpanKind, options: StartOptions = {}): Span {
  const parent = options.parent === undefined ? activeSpan() : (options.parent ?? undefined);
  return {
    traceId: parent?.traceId ?? newTraceId(),
    spanId: newSpanId(),
    sampled: parent?.sampled ?? true,
    ...(parent ? { parentSpanId: parent.spanId } : {}),
    name,
    kind,
    startTime: options.startTime ?? Date.now(),
    startClock: performance.now(),
    attributes: { ...options.attributes },
  };
}

/** The outcome of a thrown error: its code when it is one of ours (or another service's), else its class name. */
export function errorOutcome(error: unknown): SpanOutcome {
  const own = (error as { code?: unknown } | null)?.code;
  const code =
    errorCode(error) ??
    (typeof own === 'string' && own !== '' ? own : undefined) ??
    (error instanceof Error && error.name !== 'Error' ? error.name : undefined) ??
    'UnexpectedError';
  return { status: 'error', errorCode: code };
}

/**
 * The line of an ended span. Its status is `ok` or `error`, never `ERROR`:
 * the stack forwards lines containing ERROR into the log feed as failures,
 * and a span that recorded a refused request is not one.
 */
export function spanLine(span: Span, outcome: SpanOutcome, durationMs: number): SpanLine {
  return {
    trace_id: span.traceId,
    span_id: span.spanId,
    ...(span.parentSpanId ? { parent_span_id: span.parentSpanId } : {}),
    span_name: span.name,
    span_kind: span.kind,
    start_time: new Date(span.startTime).toISOString(),
    duration_ms: Math.round(durationMs * 100) / 100,
    status: outcome.status,
    ...(outcome.errorCode ? { error_code: outcome.errorCode } : {}),
    ...(Object.keys(span.attributes).length > 0 ? { attributes: span.attributes } : {}),
  };
}

/**
 * Ends a span: writes its line, with the time since it started, when its
 * trace is sampled. A trace is sampled unless the client that started it sent
 * a `traceparent` with the sampled flag off: then no hop writes its spans (the
 * flag travels with the context), as OpenTelemetry's default parent-based
 * sampler and API Gateway's X-Ray tracing honour the caller's decision. Log
 * lines still carry the trace's ids.
 */
export function endSpan(span: Span, outcome: SpanOutcome = { status: 'ok' }): void {
  if (span.sampled) writeLine(spanLine(span, outcome, performance.now() - span.startClock));
}

/**
 * Runs `work` as the active span `span` (and everything it calls, however
 * asynchronous), then ends the span: `ok`, the outcome `outcomeOf` reads from
 * the result, or the thrown error's code (rethrown).
 */
export async function runInSpan<T>(
  span: Span,
  work: (span: Span) => Promise<T>,
  outcomeOf: (result: T) => SpanOutcome = () => ({ status: 'ok' }),
): Promise<T> {
  let result: T;
  try {
    result = await active.run(span, () => work(span));
  } catch (error) {
    endSpan(span, errorOutcome(error));
    throw error;
  }
  endSpan(span, outcomeOf(result));
  return result;
}

/** Starts a span and runs `work` in it (see {@link runInSpan}). */
export function inSpan<T>(
  name: string,
  kind: SpanKind,
  work: (span: Span) => Promise<T>,
  options: StartOptions & { outcomeOf?: (result: T) => SpanOutcome } = {},
): Promise<T> {
  return runInSpan(startSpan(name, kind, options), work, options.outcomeOf);
}

/**
 * Makes `span` the active one for the rest of the current invocation. Only
 * for a middleware chain that cannot wrap what follows it in a function (the
 * first middleware of the HTTP chain, which runs before anything awaits).
 */
export function enterSpan(span: Span): void {
  active.enterWith(span);
}
