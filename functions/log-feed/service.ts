import { defineService } from '../shared/service.js';

/**
 * The log feed's own functions (the topic, queues and subscriptions are wired
 * in lib/log-feed.ts). They consume the feed, so their errors are not forwarded into it.
 */
export const logFeedService = defineService({
  name: 'log-feed',
  functions: {
    'log-feed-subscriber': {
      entry: 'log-feed/subscriber.ts',
      description: 'Writes every log-feed message as a line to the subscriber log group',
      logFeed: 'none',
    },
    'log-feed-error-forwarder': {
      entry: 'log-feed/error-forwarder.ts',
      description: 'Forwards ERROR log lines of every service function into the log feed',
      logFeed: 'none',
    },
  },
});
