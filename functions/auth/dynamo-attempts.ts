import { createHash } from 'node:crypto';
import { DeleteCommand, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { documents, unlessConditionFails } from '../shared/dynamo.js';
import { expiresAt, type LoginAttemptStore, type LoginAttempts } from './domain/login-throttle.js';

/** Records are keyed by a hash of the email, so the table holds no addresses. */
const keyOf = (email: string) => createHash('sha256').update(email).digest('base64url');

/**
 * The login attempts table: one item per email that failed lately, removed
 * by TTL once its window and block are over (`expiresAt`; that DynamoDB
 * deletes expired items late is harmless: the rule itself ignores an ended
 * window and a past block). A replace is conditional on the failures and
 * window it read.
 */
export function dynamoLoginAttempts(tableName: string): LoginAttemptStore {
  return {
    async read(email) {
      const { Item } = await documents.send(
        new GetCommand({ TableName: tableName, Key: { key: keyOf(email) }, ConsistentRead: true }),
      );
      if (!Item) return undefined;
      return {
        failures: Number(Item.failures),
        windowStart: Number(Item.windowStart),
        ...(Item.blockedUntil === undefined ? {} : { blockedUntil: Number(Item.blockedUntil) }),
      } satisfies LoginAttempts;
    },

    async replace(email, previous, next) {
      const written = await unlessConditionFails(() =>
        documents.send(
          new PutCommand({
            TableName: tableName,
            Item: { key: keyOf(email), ...next, expiresAt: expiresAt(next) },
            ...(previous
              ? {
                  ConditionExpression: 'failures = :failures AND windowStart = :windowStart',
                  ExpressionAttributeValues: {
                    ':failures': previous.failures,
                    ':windowStart': previous.windowStart,
                  },
                }
              : {
                  ConditionExpression: 'attribute_not_exists(#key)',
                  ExpressionAttributeNames: { '#key': 'key' },
                }),
          }),
        ),
      );
      return written !== undefined;
    },

    async forget(email) {
      await documents.send(new DeleteCommand({ TableName: tableName, Key: { key: keyOf(email) } }));
    },
  };
}
