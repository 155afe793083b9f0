import { readEnv } from '../shared/env.js';
import { ENV } from '../shared/env-names.js';

export const env = readEnv([ENV.thingsTable, ENV.cellsTable, 'POWERTOOLS_METRICS_NAMESPACE']);
