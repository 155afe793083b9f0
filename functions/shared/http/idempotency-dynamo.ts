import { DynamoDBPersistenceLayer } from '@aws-lambda-powertools/idempotency/dynamodb';
import { dynamodb } from '../dynamo.js';
import { readEnv } from '../env.js';
import { ENV } from '../env-names.js';
import type { IdempotencyStore } from './idempotency.js';

/**
 * A service's idempotency table (functions/shared/http/idempotency-table.ts)
 * as Powertools' DynamoDB persistence layer, over the functions' counted client.
 */
export const dynamoIdempotencyStore = (tableName: string): IdempotencyStore =>
  new DynamoDBPersistenceLayer({ tableName, awsSdkV3Client: dynamodb });

/** The idempotency table of this function's service, named by its env (read at cold start). */
export const idempotencyStoreOfThisFunction = (): IdempotencyStore =>
  dynamoIdempotencyStore(readEnv({ table: ENV.idempotencyTable }).table);
