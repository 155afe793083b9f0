import type { APIGatewayProxyResult, APIGatewayProxyWebsocketEventV2 } from 'aws-lambda';
import { eventHandler } from '../shared/event-handler.js';
import { logger } from '../shared/logger.js';
import { connect, holderFromAuthorizer } from './domain/listeners.js';
import { dynamoListenerStore } from './dynamo-store.js';
import { connectionsTable } from './env.js';

const store = dynamoListenerStore(connectionsTable());

/**
 * `$connect` records the connection with the verified user, role and token
 * expiry; `$disconnect` removes it. Messages from the browser (`$default`)
 * are not used: the feed only flows to the browser.
 */
export const handler = eventHandler(
  async (
    event: APIGatewayProxyWebsocketEventV2 & { requestContext: { authorizer?: unknown } },
  ): Promise<APIGatewayProxyResult> => {
    const { routeKey, connectionId, authorizer } = event.requestContext;
    if (routeKey === '$connect') {
      const holder = holderFromAuthorizer(authorizer);
      if (!holder) {
        logger.error('$connect without a caller in the authorizer context: is the authorizer wired?');
        return { statusCode: 401, body: 'Unauthorized' };
      }
      await connect(store, { connectionId, ...holder }, new Date());
      logger.info('live feed connected', { connectionId, ...holder });
      return { statusCode: 200, body: '' };
    }
    if (routeKey === '$disconnect') {
      await store.remove(connectionId);
      logger.info('live feed disconnected', { connectionId });
      return { statusCode: 200, body: '' };
    }
    return { statusCode: 200, body: JSON.stringify({ message: 'the live feed only sends; nothing to do' }) };
  },
);
