import { defineService } from '../shared/service.js';
import { statusRoutes } from './routes.js';

/**
 * Operator data, for admins. `GET /status`: the stack's CloudWatch dashboard
 * as deployed (read from its definition), each widget's metric data over a
 * window, and the stack's alarms; the console's Status page draws it.
 * `GET /traces/{id}`: one trace's waterfall, searched in the functions' logs
 * as `npm run trace` does; the console's Trace page draws it. One function
 * each, so neither holds the other's rights.
 */
export const statusService = defineService({
  name: 'status',
  routes: statusRoutes,
  functions: {
    status: {
      entry: 'status/handler.ts',
      description: "Reads the stack's dashboard, its metric data and the alarms",
      routes: ['status'],
      dashboard: 'read',
    },
    'status-traces': {
      entry: 'status/trace-handler.ts',
      description: "Finds one trace's spans in the stack's function logs",
      routes: ['trace'],
      stackLogs: 'read',
      // A trace is searched in every function's log group, a few at a time.
      timeoutSeconds: 20,
    },
  },
});
