/**
 * The wrapper of every Lambda handler that is not an HTTP one (queues,
 * schedules, authorizers, triggers, the RPC servers): before each event the
 * live settings are refreshed (./live-settings.ts), and the invocation's
 * metrics are written when it ends, its cold start counted (./metrics.ts).
 * HTTP handlers get the same from their middleware chain (./http/middleware.ts).
 */
import type { Context } from 'aws-lambda';
import { withLiveSettings } from './live-settings.js';
import { withMetrics } from './metrics.js';

export function eventHandler<Event, Result>(
  handler: (event: Event, context: Context) => Promise<Result>,
): (event: Event, context: Context) => Promise<Result> {
  return withMetrics(withLiveSettings(handler));
}
