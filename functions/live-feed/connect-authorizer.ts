import type { APIGatewayAuthorizerResult, APIGatewayRequestAuthorizerEvent } from 'aws-lambda';
import { type Directory, roleOf } from '../shared/identity/roles.js';
import type { createTokenVerifier } from '../shared/identity/token-verifier.js';
import { logger } from '../shared/logger.js';

type AccessTokens = Pick<ReturnType<typeof createTokenVerifier>, 'verifyAccess'>;

/**
 * The live feed's `$connect` REQUEST authorizer: verifies the same access
 * token the REST API accepts, given as `?token=` because browsers cannot set
 * headers on a WebSocket, and hands the user id and role to `$connect`: the
 * role the directory gives the person now (`admin` for the Cognito group
 * `admin`), as the REST API's authorizer does, and the token's expiry
 * (`tokenExpiresAt`, epoch seconds), after which the broadcaster closes the
 * connection. A missing token is refused by API
 * Gateway itself (401, identity source absent); a bad one gets a Deny policy,
 * which API Gateway answers with 403. (Throwing "Unauthorized" would mean 401
 * on AWS, but MiniStack answers a throwing WebSocket authorizer with 500.)
 */
export function connectAuthorizer(tokens: AccessTokens, directory: Directory) {
  return async (event: APIGatewayRequestAuthorizerEvent): Promise<APIGatewayAuthorizerResult> => {
    const token = event.queryStringParameters?.token ?? '';
    const policy = (effect: 'Allow' | 'Deny') => ({
      Version: '2012-10-17',
      Statement: [{ Action: 'execute-api:Invoke', Effect: effect, Resource: event.methodArn }],
    });
    try {
      const { userId, expiresAt } = await tokens.verifyAccess(token);
      const role = await roleOf(directory, userId);
      return {
        principalId: userId,
        policyDocument: policy('Allow'),
        context: { userId, role, tokenExpiresAt: expiresAt },
      };
    } catch (error) {
      logger.info('live feed token rejected', {
        reason: error instanceof Error ? error.message : String(error),
      });
      return { principalId: 'anonymous', policyDocument: policy('Deny') };
    }
  };
}
