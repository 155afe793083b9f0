import { defineService } from '../shared/service.js';

/**
 * The log feed's own functions (the topic and its archive are the stack's
 * shared resources). The subscriber consumes the feed and the error
 * forwarder feeds it errors, so neither has its own errors forwarded (they
 * would loop); the alarm function publishes the stack's alarm state changes
 * into it.
 */
export const logFeedService = defineService({
  name: 'log-feed',
  // One timestamped line per feed message: the original's `subscriber.log`.
  logGroups: ['subscriber'],
  functions: {
    'log-feed-subscriber': {
      entry: 'log-feed/subscriber.ts',
      description: 'Writes every log-feed message as a line to the subscriber log group',
      trigger: { logFeed: true },
      logGroups: ['subscriber'],
      logFeed: 'none',
    },
    'log-feed-error-forwarder': {
      entry: 'log-feed/error-forwarder.ts',
      description: 'Forwards ERROR log lines of every service function into the log feed',
      trigger: { errorLines: true },
      // It publishes what it forwards; its own errors are not forwarded (they would loop).
      logFeed: 'publish-only',
    },
    'log-feed-alarms': {
      entry: 'log-feed/alarm-handler.ts',
      description:
        'Publishes every alarm state change (to ALARM, back to OK) into the log feed as an alarm event',
      trigger: { alarms: true },
      // It publishes, and does not consume the feed, so its own errors may be forwarded.
      logFeed: 'publish',
    },
  },
});
