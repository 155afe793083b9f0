import { readTables } from '../shared/service.js';
import { searchService } from './service.js';

export const tables = readTables(searchService);
