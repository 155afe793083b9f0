import { readEnv } from '../shared/env.js';
import { ENV } from '../shared/env-names.js';

/** Read at cold start by the signup/login handler. */
export const authEnv = () => readEnv([ENV.userPoolId, ENV.userPoolClientId]);
