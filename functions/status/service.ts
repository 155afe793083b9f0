import { defineService } from '../shared/service.js';
import { statusRoutes } from './routes.js';

/**
 * `GET /status`, for admins: the stack's CloudWatch dashboard as deployed
 * (read from its definition), each widget's metric data over a window, and
 * the stack's alarms. The console's Status page draws it.
 */
export const statusService = defineService({
  name: 'status',
  routes: statusRoutes,
  functions: {
    status: {
      entry: 'status/handler.ts',
      description: "Reads the stack's dashboard, its metric data and the alarms",
      routes: 'all',
      dashboard: 'read',
    },
  },
});
