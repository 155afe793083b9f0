/**
 * Durations as people type them (`15m`, `2h`, `1d`): the window of the
 * Status route (`?since=15m`) and of `npm run stats -- --since 15m`, parsed
 * and bounded in one place.
 */

const UNIT_SECONDS = { s: 1, m: 60, h: 3600, d: 86_400 } as const;

/** The window when none is given. */
export const DEFAULT_WINDOW = '15m';
/** Most points a series is asked for: the period grows with the window to stay under it. */
export const MAX_POINTS = 60;

/**
 * Exactly the durations accepted: 1m to 1440m, 1h to 24h, or 1d. The bounds
 * are in the pattern itself, so the API document states them and a request
 * the pattern admits is never refused.
 */
export const DURATION_PATTERN =
  /^(?:(?:[1-9]|[1-9][0-9]|[1-9][0-9]{2}|1[0-3][0-9]{2}|14[0-3][0-9]|1440)m|(?:[1-9]|1[0-9]|2[0-4])h|1d)$/;

/** What a bad duration is told, naming the bounds. */
export const DURATION_RULE = 'must be a duration from 1m to 24h in minutes, hours or 1d, like 15m or 2h';

/** Seconds in a duration like `15m`, or undefined when it is malformed or outside 1 minute .. 1 day. */
export function parseDuration(text: string): number | undefined {
  if (!DURATION_PATTERN.test(text)) return undefined;
  const unit = text.slice(-1) as keyof typeof UNIT_SECONDS;
  return Number(text.slice(0, -1)) * UNIT_SECONDS[unit];
}

/** A duration in the largest unit that divides it: 900 -> `15m`, 5400 -> `90m`, 86400 -> `1d`. */
export function formatDuration(seconds: number): string {
  for (const unit of ['d', 'h', 'm'] as const) {
    const size = UNIT_SECONDS[unit];
    if (seconds >= size && seconds % size === 0) return `${seconds / size}${unit}`;
  }
  return `${seconds}s`;
}

/**
 * The period (seconds, a multiple of 60 as CloudWatch requires for standard
 * metrics) giving at most {@link MAX_POINTS} points over the window.
 */
export function periodFor(windowSeconds: number): number {
  return Math.max(60, Math.ceil(windowSeconds / MAX_POINTS / 60) * 60);
}
