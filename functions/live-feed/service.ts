import { defineService } from '../shared/service.js';

/**
 * The log feed, live in the browser (the WebSocket API is wired in
 * lib/live-feed.ts): a connections table, and the functions behind `$connect`.
 */
export const liveFeedService = defineService({
  name: 'live-feed',
  tables: { connections: { partitionKey: 'connectionId', timeToLiveAttribute: 'expiresAt' } },
  functions: {
    'live-feed-authorizer': {
      entry: 'live-feed/authorizer.ts',
      description: 'Verifies the access token of a live-feed WebSocket connection',
    },
    'live-feed-connections': {
      entry: 'live-feed/connections.ts',
      description: 'Records live-feed WebSocket connections ($connect) and removes them ($disconnect)',
      tables: { connections: ['PutItem', 'DeleteItem'] },
    },
    'live-feed-broadcaster': {
      entry: 'live-feed/broadcaster.ts',
      description: 'Posts every log-feed message to the live-feed connections allowed to see it',
      tables: { connections: ['Scan', 'DeleteItem'] },
      // It consumes the feed: its own errors forwarded into the feed would come back to it.
      logFeed: 'none',
    },
  },
});
