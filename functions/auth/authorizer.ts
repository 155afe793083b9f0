import type { APIGatewayAuthorizerResult, APIGatewayTokenAuthorizerEvent } from 'aws-lambda';
import { logger } from '../shared/logger.js';
import { wholeStage } from './authorizer-policy.js';
import { authorizerEnv } from './env.js';
import { createTokenVerifier } from './token-verifier.js';

const env = authorizerEnv();
const tokens = createTokenVerifier({
  region: env.AWS_REGION,
  userPoolId: env.USER_POOL_ID,
  clientId: env.USER_POOL_CLIENT_ID,
  endpoint: process.env.AWS_ENDPOINT_URL,
});

/**
 * Lambda TOKEN authorizer for every `auth: 'user'` route: enforced the same
 * way by API Gateway on AWS and by the local stacks. The verified user id is
 * handed to the service in `requestContext.authorizer.userId`; API Gateway
 * answers 401 itself when this throws "Unauthorized".
 */
export const handler = async (event: APIGatewayTokenAuthorizerEvent): Promise<APIGatewayAuthorizerResult> => {
  let userId: string;
  try {
    userId = await tokens.userIdOf(event.authorizationToken);
  } catch (error) {
    logger.info('token rejected', { reason: error instanceof Error ? error.message : String(error) });
    throw new Error('Unauthorized');
  }
  return {
    principalId: userId,
    policyDocument: {
      Version: '2012-10-17',
      Statement: [{ Action: 'execute-api:Invoke', Effect: 'Allow', Resource: wholeStage(event.methodArn) }],
    },
    context: { userId },
  };
};
