import { defineService } from '../shared/service.js';
import { consoleRoutes } from './routes.js';

/**
 * The web console at `GET /console`: a single-page app served by the stack,
 * same origin as the API. The stack tells it where the live feed is.
 */
export const consoleService = defineService({
  name: 'console',
  routes: consoleRoutes,
  functions: {
    console: {
      entry: 'console/handler.ts',
      description: 'Serves the web console',
      routes: 'all',
      webSocketApi: 'locate',
      generatedFiles: 'console-app',
    },
  },
});
