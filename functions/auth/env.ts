import { readEnv } from '../shared/env.js';
import { ENV } from '../shared/env-names.js';

/** Read at cold start by the signup/login handler. */
export const authEnv = () => readEnv([ENV.userPoolId, ENV.userPoolClientId]);

/** Read at cold start by the token authorizer. */
export const authorizerEnv = () => readEnv([ENV.userPoolId, ENV.userPoolClientId, 'AWS_REGION']);
