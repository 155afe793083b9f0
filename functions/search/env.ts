import { readEnv } from '../shared/env.js';
import { readTables } from '../shared/service.js';
import { searchService } from './service.js';

export const env = readEnv(['POWERTOOLS_METRICS_NAMESPACE']);
export const tables = readTables(searchService);
