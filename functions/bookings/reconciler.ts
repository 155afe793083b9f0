import type { Context } from 'aws-lambda';
import { eventHandler } from '../shared/event-handler.js';
import { logger } from '../shared/logger.js';
import { bookingsFor } from './compose.js';

/**
 * The scheduled reconciler: repairs bookings a crash left in flight, reading
 * the in-flight index alone (also invocable directly; it answers what it
 * repaired and how many items it read).
 */
export const handler = eventHandler(async (_event: unknown, context: Context) => {
  const result = await bookingsFor(context.awsRequestId).reconcile();
  logger.info('reconciled bookings', { repaired: result.repaired.length, read: result.read });
  return result;
});
