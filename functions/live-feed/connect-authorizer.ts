import type { APIGatewayAuthorizerResult, APIGatewayRequestAuthorizerEvent } from 'aws-lambda';
import { type Directory, roleOf } from '../auth/domain/roles.js';
import type { createTokenVerifier } from '../auth/token-verifier.js';
import { logger } from '../shared/logger.js';

type AccessTokenVerifier = Pick<ReturnType<typeof createTokenVerifier>['verifier'], 'verify'>;

/**
 * The live feed's `$connect` REQUEST authorizer: verifies the same access
 * token the REST API accepts, given as `?token=` because browsers cannot set
 * headers on a WebSocket, and hands the user id and role to `$connect`: the
 * role the directory gives the person now (`admin` for the Cognito group
 * `admin`), as the REST API's authorizer does. A missing token is refused by API
 * Gateway itself (401, identity source absent); a bad one gets a Deny policy,
 * which API Gateway answers with 403. (Throwing "Unauthorized" would mean 401
 * on AWS, but MiniStack answers a throwing WebSocket authorizer with 500.)
 */
export function connectAuthorizer(verifier: AccessTokenVerifier, directory: Directory) {
  return async (event: APIGatewayRequestAuthorizerEvent): Promise<APIGatewayAuthorizerResult> => {
    const token = event.queryStringParameters?.token ?? '';
    const policy = (effect: 'Allow' | 'Deny') => ({
      Version: '2012-10-17',
      Statement: [{ Action: 'execute-api:Invoke', Effect: effect, Resource: event.methodArn }],
    });
    try {
      const payload = await verifier.verify(token);
      if (!payload.sub) throw new Error('token has no subject');
      const role = await roleOf(directory, payload.sub);
      return {
        principalId: payload.sub,
        policyDocument: policy('Allow'),
        context: { userId: payload.sub, role },
      };
    } catch (error) {
      logger.info('live feed token rejected', {
        reason: error instanceof Error ? error.message : String(error),
      });
      return { principalId: 'anonymous', policyDocument: policy('Deny') };
    }
  };
}
