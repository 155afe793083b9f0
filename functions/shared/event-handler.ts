/**
 * The wrapper of every Lambda handler that is not an HTTP one (queues,
 * schedules, authorizers, triggers, the RPC servers): every event it handles
 * is a span (./trace/events.ts), before each event the live settings are
 * refreshed (./live-settings.ts), and the invocation's metrics are written
 * when it ends, its cold start counted (./metrics.ts). HTTP handlers get the
 * same from their middleware chain (./http/middleware.ts).
 */
import type { Context } from 'aws-lambda';
import { withLiveSettings } from './live-settings.js';
import { withMetrics } from './metrics.js';
import { type TraceOptions, withTrace } from './trace/events.js';

export function eventHandler<Event, Result>(
  handler: (event: Event, context: Context) => Promise<Result>,
  options: TraceOptions = {},
): (event: Event, context: Context) => Promise<Result> {
  return withMetrics(withTrace(withLiveSettings(handler), options));
}
