import { readEnv } from '../shared/env.js';
import { ENV } from '../shared/env-names.js';

/** Read at cold start by the downcase function: the log feed it publishes every answer to. */
export const downcaseEnv = () => readEnv([ENV.logFeedTopicArn, 'POWERTOOLS_SERVICE_NAME']);
