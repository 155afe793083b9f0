import { defineService } from '../shared/service.js';
import { healthRoutes } from './routes.js';

/**
 * `GET /health` and the check every minute: every deployed service's health
 * checks, derived from its declaration (functions/shared/health.ts). Both
 * functions may describe the tables and read the queue attributes they
 * check, and nothing else.
 */
export const healthService = defineService({
  name: 'health',
  routes: healthRoutes,
  functions: {
    health: {
      entry: 'health/handler.ts',
      description: "Answers GET /health from every service's health checks",
      routes: 'all',
      healthChecks: true,
      // Verifies an optional token and reads the caller's role, as the authorizer does.
      userPool: ['AdminListGroupsForUser'],
    },
    'health-check': {
      entry: 'health/scheduled.ts',
      description: "Runs every service's health checks each minute and records the Healthy metric",
      trigger: { schedule: { everyMinutes: 1 } },
      healthChecks: true,
    },
  },
});
