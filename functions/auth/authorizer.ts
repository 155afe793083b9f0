import type { APIGatewayAuthorizerResult, APIGatewayTokenAuthorizerEvent } from 'aws-lambda';
import type { Caller } from '../shared/caller.js';
import { logger } from '../shared/logger.js';
import { wholeStage } from './authorizer-policy.js';
import { cognitoDirectory } from './cognito-directory.js';
import { callerVerifier } from './domain/roles.js';
import { authorizerEnv } from './env.js';
import { createTokenVerifier } from './token-verifier.js';

const env = authorizerEnv();
const tokens = createTokenVerifier({
  region: env.AWS_REGION,
  userPoolId: env.USER_POOL_ID,
  clientId: env.USER_POOL_CLIENT_ID,
  endpoint: process.env.AWS_ENDPOINT_URL,
});
const callerOf = callerVerifier(tokens.userIdOf, cognitoDirectory(env.USER_POOL_ID));

/**
 * Lambda TOKEN authorizer for every `user` and `admin` route: enforced the
 * same way by API Gateway on AWS and by the local stacks. The verified user id
 * and the role the directory gives them now are handed to the service in
 * `requestContext.authorizer`; the service's middleware refuses admin routes
 * to users (403). API Gateway answers 401 itself when this throws "Unauthorized".
 */
export const handler = async (event: APIGatewayTokenAuthorizerEvent): Promise<APIGatewayAuthorizerResult> => {
  let caller: Caller;
  try {
    caller = await callerOf(event.authorizationToken);
  } catch (error) {
    logger.info('token rejected', { reason: error instanceof Error ? error.message : String(error) });
    throw new Error('Unauthorized');
  }
  return {
    principalId: caller.userId,
    policyDocument: {
      Version: '2012-10-17',
      Statement: [{ Action: 'execute-api:Invoke', Effect: 'Allow', Resource: wholeStage(event.methodArn) }],
    },
    context: { userId: caller.userId, role: caller.role },
  };
};
