import {
  ApiGatewayManagementApiClient,
  DeleteConnectionCommand,
  GoneException,
  PostToConnectionCommand,
} from '@aws-sdk/client-apigatewaymanagementapi';
import { counted } from '../shared/request-counting.js';
import type { ConnectionsApi } from './domain/listeners.js';

export interface CallbackConfig {
  /** The stage's `@connections` URL on AWS: `https://<apiId>.execute-api.<region>.amazonaws.com/<stage>`. */
  callbackUrl: string;
  apiId: string;
  stage: string;
  /** AWS-compatible endpoint (local stack), absent on AWS. */
  endpoint?: string;
}

/** Where the `@connections` API answers: the stage URL on AWS, the execute-api path under a local endpoint. */
export function managementEndpoint({ callbackUrl, apiId, stage, endpoint }: CallbackConfig): string {
  return endpoint ? `${endpoint.replace(/\/$/, '')}/_aws/execute-api/${apiId}/${stage}` : callbackUrl;
}

/** API Gateway's `@connections` API as a {@link ConnectionsApi}. */
export function managementApi(config: CallbackConfig): ConnectionsApi {
  const client = counted(new ApiGatewayManagementApiClient({ endpoint: managementEndpoint(config) }));
  return {
    async post(connectionId, data) {
      try {
        await client.send(new PostToConnectionCommand({ ConnectionId: connectionId, Data: data }));
        return 'sent';
      } catch (error) {
        if (error instanceof GoneException) return 'gone';
        throw error;
      }
    },
    async close(connectionId) {
      try {
        await client.send(new DeleteConnectionCommand({ ConnectionId: connectionId }));
      } catch (error) {
        if (!(error instanceof GoneException)) throw error;
      }
    },
  };
}
