import type { APIGatewayAuthorizerResult, APIGatewayRequestAuthorizerEvent } from 'aws-lambda';
import type { createTokenVerifier } from '../auth/token-verifier.js';
import { logger } from '../shared/logger.js';
import { roleOf } from './domain/listeners.js';

type AccessTokenVerifier = Pick<ReturnType<typeof createTokenVerifier>['verifier'], 'verify'>;

/**
 * The live feed's `$connect` REQUEST authorizer: verifies the same access
 * token the REST API accepts, given as `?token=` because browsers cannot set
 * headers on a WebSocket, and hands the user id and role (`admin` for the
 * Cognito group `admin`) to `$connect`. API Gateway refuses the handshake
 * (401) when it throws "Unauthorized".
 */
export function connectAuthorizer(verifier: AccessTokenVerifier) {
  return async (event: APIGatewayRequestAuthorizerEvent): Promise<APIGatewayAuthorizerResult> => {
    const token = event.queryStringParameters?.token ?? '';
    let userId: string;
    let groups: unknown;
    try {
      const payload = await verifier.verify(token);
      if (!payload.sub) throw new Error('token has no subject');
      userId = payload.sub;
      groups = payload['cognito:groups'];
    } catch (error) {
      logger.info('live feed token rejected', {
        reason: error instanceof Error ? error.message : String(error),
      });
      throw new Error('Unauthorized');
    }
    return {
      principalId: userId,
      policyDocument: {
        Version: '2012-10-17',
        Statement: [{ Action: 'execute-api:Invoke', Effect: 'Allow', Resource: event.methodArn }],
      },
      context: { userId, role: roleOf(groups) },
    };
  };
}
