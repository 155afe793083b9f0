/** Reading structured log lines back: what the error forwarder, `npm run logs` and the trace search share. Pure. */

/** A log line's JSON object, after any runtime prefix (`2026-... INFO`), if it is one. */
export function parseJsonLine(message: string): Record<string, unknown> | undefined {
  const start = message.indexOf('{');
  if (start < 0) return undefined;
  try {
    const value: unknown = JSON.parse(message.slice(start));
    return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}
