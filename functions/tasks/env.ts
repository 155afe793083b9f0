import { readEnv } from '../shared/env.js';
import { ENV } from '../shared/env-names.js';
import { readTables } from '../shared/service.js';
import { tasksService } from './service.js';

export const env = readEnv([ENV.logFeedTopicArn, 'POWERTOOLS_SERVICE_NAME']);
export const tables = readTables(tasksService);
