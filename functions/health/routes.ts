import { defineRoutes } from '../shared/http/route.js';
import { healthView } from './domain/health.js';

export const healthRoutes = defineRoutes({
  health: {
    method: 'GET',
    path: '/health',
    summary:
      'Every service, up or down, from its health checks (its tables and queues reachable, its dead-letter queues not piling up): 200 when all are up, 503 when one is not; an admin also sees each check, dead-letter depths and errors',
    auth: 'optional',
    response: healthView,
    otherStatuses: [503],
  },
});
