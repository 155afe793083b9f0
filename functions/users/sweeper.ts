import { eventHandler } from '../shared/event-handler.js';
import { logger } from '../shared/logger.js';
import { deletion } from './compose.js';

/**
 * The scheduled sweep (also invocable directly): deletes the people whose
 * account was removed outside the API, and resumes deletions that lost their message.
 */
export const handler = eventHandler(async () => {
  const result = await deletion.sweep();
  logger.info('swept profiles against the user pool', {
    profiles: result.profiles,
    removed: result.removed.length,
    resumed: result.resumed.length,
  });
  return result;
});
