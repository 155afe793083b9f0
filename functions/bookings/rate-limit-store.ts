import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { documents } from '../shared/dynamo.js';
import type { HitCounter } from './domain/rate-limit.js';
import { RATE_LIMITS_TABLE } from './table.js';

/** Hit counts in the rate-limits table: one item per person and window, removed by DynamoDB's TTL. */
export function dynamoHitCounter(tableName: string): HitCounter {
  return {
    async hit(key, expiresAt) {
      const { Attributes } = await documents.send(
        new UpdateCommand({
          TableName: tableName,
          Key: { [RATE_LIMITS_TABLE.partitionKey]: key },
          UpdateExpression: `ADD hits :one SET #expiresAt = :expiresAt`,
          ExpressionAttributeNames: { '#expiresAt': RATE_LIMITS_TABLE.timeToLiveAttribute },
          ExpressionAttributeValues: { ':one': 1, ':expiresAt': expiresAt },
          ReturnValues: 'UPDATED_NEW',
        }),
      );
      return Number(Attributes?.hits);
    },
  };
}
