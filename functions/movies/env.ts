import { readTables } from '../shared/service.js';
import { moviesService } from './service.js';

/** Read at cold start by both movies functions: their table. */
export const moviesEnv = () => ({ table: readTables(moviesService).movies });
