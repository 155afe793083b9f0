import { defineService } from '../shared/service.js';

/**
 * The log feed, live in the browser: the WebSocket API's routes, a
 * connections table, and a broadcaster that checks each connection's rights
 * when it delivers (closing those whose rights ended) and posts every feed
 * message to the connections allowed to see it.
 */
export const liveFeedService = defineService({
  name: 'live-feed',
  tables: { connections: { partitionKey: 'connectionId', timeToLiveAttribute: 'expiresAt' } },
  functions: {
    'live-feed-authorizer': {
      entry: 'live-feed/authorizer.ts',
      description: 'Verifies the access token of a live-feed WebSocket connection',
      trigger: { authorizer: 'webSocket' },
      userPool: ['AdminListGroupsForUser'],
    },
    'live-feed-connections': {
      entry: 'live-feed/connections.ts',
      description: 'Records live-feed WebSocket connections ($connect) and removes them ($disconnect)',
      trigger: { webSocket: ['$connect', '$disconnect', '$default'] },
      tables: { connections: ['PutItem', 'DeleteItem'] },
    },
    'live-feed-broadcaster': {
      entry: 'live-feed/broadcaster.ts',
      description: 'Posts every log-feed message to the live-feed connections allowed to see it',
      trigger: { logFeed: true },
      tables: { connections: ['Scan', 'DeleteItem'] },
      // Each connection's account and role, read again when it delivers.
      userPool: ['AdminListGroupsForUser'],
      webSocketApi: 'deliver',
      // It consumes the feed: its own errors forwarded into the feed would come back to it.
      logFeed: 'none',
    },
  },
});
