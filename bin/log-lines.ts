/**
 * How `npm run logs` shows a function's log line: one line per event, its
 * time, `<service>/<function>`, level (coloured), message and the line's own
 * keys (Powertools' standard keys left out), span lines in short. Pure.
 */
import { parseJsonLine } from '../functions/shared/json-line.js';

export const LEVELS = ['DEBUG', 'INFO', 'WARN', 'ERROR', 'CRITICAL'] as const;
export type Level = (typeof LEVELS)[number];

/** Keys every Powertools line has, left out of the printed line (the source and level say them already). */
const STANDARD_KEYS = new Set([
  'level',
  'message',
  'timestamp',
  'service',
  'cold_start',
  'function_arn',
  'function_memory_size',
  'function_name',
  'function_request_id',
  'sampling_rate',
  'xray_trace_id',
  'span_id',
]);

/** A level as typed (`warn`, `WARNING`, `error`), or undefined when it is none. */
export function parseLevel(text: string): Level | undefined {
  const upper = text.toUpperCase();
  const level = upper === 'WARNING' ? 'WARN' : upper;
  return (LEVELS as readonly string[]).includes(level) ? (level as Level) : undefined;
}

/** A line's JSON object, after any runtime prefix, if it is one (read as the error forwarder reads it). */
export const jsonOf = parseJsonLine;

/**
 * A line's level: its own for a structured line, ERROR for a runtime line
 * reporting one (an uncaught exception), INFO for the rest (START, END, REPORT).
 */
export function levelOf(message: string, json = jsonOf(message)): Level {
  const own = typeof json?.level === 'string' ? parseLevel(json.level) : undefined;
  if (own) return own;
  return /\bERROR\b/.test(message) ? 'ERROR' : 'INFO';
}

/** An EMF metrics document: data for CloudWatch, not a line for people. */
export const isMetricsLine = (json: Record<string, unknown> | undefined) =>
  json !== undefined && '_aws' in json;

const COLOURS: Record<Level, string> = { DEBUG: '2', INFO: '36', WARN: '33', ERROR: '31', CRITICAL: '41' };

/** One event as one printed line. */
export function formatLogLine(
  event: { timestamp?: number | undefined; message?: string | undefined; source: string },
  { color = false }: { color?: boolean } = {},
): string {
  const message = (event.message ?? '').trimEnd();
  const json = jsonOf(message);
  const level = levelOf(message, json);
  const time = new Date(event.timestamp ?? 0).toISOString().slice(11, 23);
  const paint = (code: string, text: string) => (color ? `\u001b[${code}m${text}\u001b[0m` : text);
  let text: string;
  if (json && json.message === 'span') {
    const failed = json.status === 'error';
    text = `span ${json.span_kind} ${json.span_name} ${json.duration_ms}ms ${failed ? `error ${json.error_code ?? ''}`.trim() : 'ok'} trace_id=${json.trace_id}`;
  } else if (json) {
    const rest = Object.fromEntries(Object.entries(json).filter(([key]) => !STANDARD_KEYS.has(key)));
    text = `${String(json.message ?? '')}${Object.keys(rest).length > 0 ? ` ${JSON.stringify(rest)}` : ''}`;
  } else {
    text = message.replace(/\s+/g, ' ');
  }
  return `${paint('2', time)} ${event.source.padEnd(24)} ${paint(COLOURS[level], level.padEnd(5))} ${text}`;
}
