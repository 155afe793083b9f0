import { readEnv } from '../shared/env.js';
import { ENV } from '../shared/env-names.js';

/** Read at cold start by the console function. */
export const consoleEnv = () => readEnv([ENV.liveFeedApiId, ENV.liveFeedStage, ENV.liveFeedPublicUrl]);
