import { authRoutes } from '../auth/routes.js';
import { bookingRoutes } from '../bookings/routes.js';
import { consoleRoutes } from '../console/routes.js';
import { downcaseRoutes } from '../downcase/routes.js';
import { movieRoutes } from '../movies/routes.js';
import { searchRoutes } from '../search/routes.js';
import type { RouteTable } from '../shared/http/route.js';
import { taskRoutes } from '../tasks/routes.js';
import { userRoutes } from '../users/routes.js';
import { docsRoutes } from './routes.js';

/** Every service's route table, by service: what the API document describes. */
export const API_ROUTES: Readonly<Record<string, RouteTable>> = {
  downcase: downcaseRoutes,
  search: searchRoutes,
  auth: authRoutes,
  tasks: taskRoutes,
  users: userRoutes,
  movies: movieRoutes,
  bookings: bookingRoutes,
  docs: docsRoutes,
  console: consoleRoutes,
};
