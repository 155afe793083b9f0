import { cognitoDirectory } from '../auth/cognito-directory.js';
import { createTokenVerifier } from '../auth/token-verifier.js';
import { connectAuthorizer } from './connect-authorizer.js';
import { connectAuthorizerEnv } from './env.js';

const env = connectAuthorizerEnv();

/** `$connect` authorizer of the live feed; see {@link connectAuthorizer}. */
export const handler = connectAuthorizer(
  createTokenVerifier({
    region: env.AWS_REGION,
    userPoolId: env.USER_POOL_ID,
    clientId: env.USER_POOL_CLIENT_ID,
    endpoint: process.env.AWS_ENDPOINT_URL,
  }),
  cognitoDirectory(env.USER_POOL_ID),
);
