import { readEnv } from '../shared/env.js';
import { ENV } from '../shared/env-names.js';

export const env = readEnv([ENV.tasksTable, ENV.logFeedTopicArn, 'POWERTOOLS_SERVICE_NAME']);
