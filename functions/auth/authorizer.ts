import type { APIGatewayAuthorizerResult, APIGatewayTokenAuthorizerEvent } from 'aws-lambda';
import type { Caller } from '../shared/caller.js';
import { eventHandler } from '../shared/event-handler.js';
import { callerVerifier } from '../shared/identity/roles.js';
import { userPoolFromEnv } from '../shared/identity/user-pool.js';
import { logger } from '../shared/logger.js';
import { wholeStage } from './authorizer-policy.js';

const pool = userPoolFromEnv();
const callerOf = callerVerifier(pool.tokens.userIdOf, pool.directory);

/**
 * Lambda TOKEN authorizer for every `user` and `admin` route: enforced the
 * same way by API Gateway on AWS and by the local stacks. The verified user id
 * and the role the directory gives them now are handed to the service in
 * `requestContext.authorizer`; the service's middleware refuses admin routes
 * to users (403). API Gateway answers 401 itself when this throws "Unauthorized".
 */
export const handler = eventHandler(
  async (event: APIGatewayTokenAuthorizerEvent): Promise<APIGatewayAuthorizerResult> => {
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
  },
);
