import { readEnv } from '../env.js';
import { ENV } from '../env-names.js';
import { cognitoDirectory } from './cognito-directory.js';
import { createTokenVerifier } from './token-verifier.js';

/**
 * The user pool as an authorizer sees it, from the environment at cold start:
 * its access-token verifier and its directory (who is in which group). Shared
 * by the REST token authorizer and the live feed's `$connect` authorizer.
 */
export function userPoolFromEnv() {
  const env = readEnv([ENV.userPoolId, ENV.userPoolClientId, 'AWS_REGION']);
  return {
    tokens: createTokenVerifier({
      region: env.AWS_REGION,
      userPoolId: env.USER_POOL_ID,
      clientId: env.USER_POOL_CLIENT_ID,
      endpoint: process.env.AWS_ENDPOINT_URL,
    }),
    directory: cognitoDirectory(env.USER_POOL_ID),
  };
}
