import { readTables } from '../shared/service.js';
import { searchService } from './service.js';

/** Read at cold start by the search function: its tables. */
export const searchEnv = () => ({ tables: readTables(searchService) });
