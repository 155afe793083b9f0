import { cognitoDirectory } from './cognito-directory.js';
import { authorizerEnv } from './env.js';
import { createTokenVerifier } from './token-verifier.js';

/**
 * The user pool as an authorizer sees it, from the environment at cold start:
 * its access-token verifier and its directory (who is in which group). Shared
 * by the REST token authorizer and the live feed's `$connect` authorizer.
 */
export function userPoolFromEnv() {
  const env = authorizerEnv();
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
