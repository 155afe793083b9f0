import type { Context } from 'aws-lambda';
import { eventHandler } from '../shared/event-handler.js';
import { logger } from '../shared/logger.js';
import { deletionFor } from './compose.js';

/**
 * The scheduled sweep (also invocable directly): deletes the people whose
 * account was removed outside the API, and resumes deletions that lost their message.
 */
export const handler = eventHandler(async (_event: unknown, context: Context) => {
  const result = await deletionFor(context.awsRequestId).sweep();
  logger.info('swept profiles against the user pool', {
    profiles: result.profiles,
    removed: result.removed.length,
    resumed: result.resumed.length,
  });
  return result;
});
