import { readEnv } from '../shared/env.js';
import { ENV } from '../shared/env-names.js';

/** Read at cold start by the `$connect`/`$disconnect` handler. */
export const connectionsEnv = () => readEnv([ENV.liveFeedConnectionsTable]);

/** Read at cold start by the broadcaster. */
export const broadcasterEnv = () =>
  readEnv([ENV.liveFeedConnectionsTable, ENV.liveFeedCallbackUrl, ENV.liveFeedApiId, ENV.liveFeedStage]);

/** Read at cold start by the `$connect` authorizer. */
export const connectAuthorizerEnv = () => readEnv([ENV.userPoolId, ENV.userPoolClientId, 'AWS_REGION']);
