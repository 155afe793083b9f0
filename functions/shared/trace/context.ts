/**
 * W3C Trace Context (https://www.w3.org/TR/trace-context/): the `traceparent`
 * value that carries a trace from hop to hop (HTTP header, RPC envelope, saga
 * message, SNS and SQS message attribute), and its X-Ray spelling
 * (`AWSTraceHeader`) for SQS. Names follow OpenTelemetry: a trace id (16
 * bytes), a span id (8 bytes), the sampled flag. Pure: no AWS imports.
 */
import { randomBytes } from 'node:crypto';

/** Where a span stands in its trace: what the next hop names as its parent. */
export interface TraceContext {
  /** 32 lowercase hex digits, never all zeros. */
  traceId: string;
  /** 16 lowercase hex digits, never all zeros: the span that sent the context. */
  spanId: string;
  /** The `sampled` flag of the trace: set by the client that started it (on unless it said off), passed on to every hop. */
  sampled: boolean;
}

const TRACE_ID = /^[0-9a-f]{32}$/;
const SPAN_ID = /^[0-9a-f]{16}$/;
const VERSION = /^[0-9a-f]{2}$/;
const FLAGS = /^[0-9a-f]{2}$/;

export const isTraceId = (value: string): boolean => TRACE_ID.test(value) && !/^0+$/.test(value);
export const isSpanId = (value: string): boolean => SPAN_ID.test(value) && !/^0+$/.test(value);

/** A new random trace id (16 bytes as hex). */
export function newTraceId(): string {
  for (;;) {
    const id = randomBytes(16).toString('hex');
    if (isTraceId(id)) return id;
  }
}

/** A new random span id (8 bytes as hex). */
export function newSpanId(): string {
  for (;;) {
    const id = randomBytes(8).toString('hex');
    if (isSpanId(id)) return id;
  }
}

/**
 * Reads a `traceparent` value; undefined when it is absent or invalid (the
 * caller then starts a new trace: an invalid value is never trusted, so a
 * client cannot graft its spans onto another request's). Accepts a future
 * version's value by its first four fields, as the specification asks, but
 * never version `ff`.
 */
export function parseTraceparent(value: string | undefined | null): TraceContext | undefined {
  if (typeof value !== 'string') return undefined;
  const parts = value.trim().split('-');
  const [version, traceId, spanId, flags] = parts;
  if (version === undefined || traceId === undefined || spanId === undefined || flags === undefined)
    return undefined;
  if (!VERSION.test(version) || version === 'ff') return undefined;
  if (version === '00' && parts.length !== 4) return undefined;
  if (!isTraceId(traceId) || !isSpanId(spanId) || !FLAGS.test(flags)) return undefined;
  return { traceId, spanId, sampled: (Number.parseInt(flags, 16) & 1) === 1 };
}

/** The `traceparent` value of a context (version 00). */
export function formatTraceparent(context: TraceContext): string {
  return `00-${context.traceId}-${context.spanId}-${context.sampled ? '01' : '00'}`;
}

/**
 * The X-Ray spelling of a context, as SQS carries it in the `AWSTraceHeader`
 * system attribute: `Root=1-<8 hex>-<24 hex>;Parent=<16 hex>;Sampled=<0|1>`
 * (the mapping OpenTelemetry's X-Ray propagator uses).
 */
export function toAwsTraceHeader(context: TraceContext): string {
  const root = `1-${context.traceId.slice(0, 8)}-${context.traceId.slice(8)}`;
  return `Root=${root};Parent=${context.spanId};Sampled=${context.sampled ? 1 : 0}`;
}

/** Reads an `AWSTraceHeader` value; undefined when it is absent or not a valid X-Ray header. */
export function parseAwsTraceHeader(value: string | undefined | null): TraceContext | undefined {
  if (typeof value !== 'string') return undefined;
  const fields = new Map(
    value.split(';').map((part) => {
      const [key = '', ...rest] = part.trim().split('=');
      return [key, rest.join('=')] as const;
    }),
  );
  const root = /^1-([0-9a-f]{8})-([0-9a-f]{24})$/.exec(fields.get('Root') ?? '');
  const parent = fields.get('Parent') ?? '';
  if (!root) return undefined;
  const traceId = `${root[1]}${root[2]}`;
  if (!isTraceId(traceId) || !isSpanId(parent)) return undefined;
  return { traceId, spanId: parent, sampled: fields.get('Sampled') !== '0' };
}
