import { DeleteCommand, PutCommand, paginateScan } from '@aws-sdk/lib-dynamodb';
import { documents } from '../shared/dynamo.js';
import type { Listener, ListenerStore } from './domain/listeners.js';

/** The connections table (partition `connectionId`, TTL on `expiresAt`) as a {@link ListenerStore}. */
export function dynamoListenerStore(tableName: string): ListenerStore {
  return {
    async put(listener) {
      await documents.send(new PutCommand({ TableName: tableName, Item: listener }));
    },

    async remove(connectionId) {
      await documents.send(new DeleteCommand({ TableName: tableName, Key: { connectionId } }));
    },

    // Every message goes to every allowed connection, so the whole (small) table is read;
    // expired rows the TTL has not swept yet are skipped.
    async all() {
      const now = Math.floor(Date.now() / 1000);
      const listeners: Listener[] = [];
      const pages = paginateScan(
        { client: documents },
        {
          TableName: tableName,
          ProjectionExpression: 'connectionId, userId, #role, tokenExpiresAt, expiresAt',
          ExpressionAttributeNames: { '#role': 'role' },
        },
      );
      for await (const page of pages) {
        for (const item of page.Items ?? []) {
          if (typeof item.expiresAt === 'number' && item.expiresAt < now) continue;
          listeners.push({
            connectionId: String(item.connectionId),
            userId: String(item.userId),
            role: item.role === 'admin' ? 'admin' : 'user',
            // A row without its token's expiry counts as expired: its connection is closed.
            tokenExpiresAt: typeof item.tokenExpiresAt === 'number' ? item.tokenExpiresAt : 0,
          });
        }
      }
      return listeners;
    },
  };
}
