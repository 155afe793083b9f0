import { authRoutes } from '../auth/routes.js';
import { downcaseRoutes } from '../downcase/routes.js';
import { searchRoutes } from '../search/routes.js';
import type { RouteTable } from '../shared/http/route.js';
import { taskRoutes } from '../tasks/routes.js';
import { docsRoutes } from './routes.js';

/** Every service's route table, by service: what the API document describes. */
export const API_ROUTES: Readonly<Record<string, RouteTable>> = {
  downcase: downcaseRoutes,
  search: searchRoutes,
  auth: authRoutes,
  tasks: taskRoutes,
  docs: docsRoutes,
};
