import { defineService } from '../shared/service.js';
import { downcaseRoutes } from './routes.js';

/** `GET /downcase`: lower-cases a string, publishing every response to the log feed. */
export const downcaseService = defineService({
  name: 'downcase',
  routes: downcaseRoutes,
  functions: {
    downcase: {
      entry: 'downcase/handler.ts',
      description: 'Lower-cases a string and publishes the response to the log feed',
      routes: 'all',
      logFeed: 'publish',
      // No actions: it verifies an optional access token against the pool's public keys.
      userPool: [],
    },
  },
});
