import { readEnv } from '../env.js';
import { ENV } from '../env-names.js';
import { createTokenVerifier } from './token-verifier.js';

/**
 * The user pool's access-token verifier, from the environment at cold start
 * (the pool and app client a function is told of by declaring `userPool`).
 * Apart from the directory, so a function that only verifies tokens does not
 * bundle the Cognito client.
 */
export function accessTokensFromEnv() {
  const env = readEnv([ENV.userPoolId, ENV.userPoolClientId, 'AWS_REGION']);
  return createTokenVerifier({
    region: env.AWS_REGION,
    userPoolId: env.USER_POOL_ID,
    clientId: env.USER_POOL_CLIENT_ID,
    endpoint: process.env.AWS_ENDPOINT_URL,
  });
}
