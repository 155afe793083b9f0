import { ConditionalCheckFailedException, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DeleteCommand, DynamoDBDocumentClient, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { ANYONE, decodeCursor, encodeCursor, type Page } from './pagination.js';

/** The document client of a function, created once. */
export const documents = DynamoDBDocumentClient.from(new DynamoDBClient({}), {
  marshallOptions: { removeUndefinedValues: true },
});

/** True when a conditional write found the item missing (or otherwise not as required). */
export const conditionFailed = (error: unknown) => error instanceof ConditionalCheckFailedException;

/** Runs a conditional write; `undefined` instead of an error when its condition failed (the item is gone). */
export async function unlessConditionFails<T>(write: () => Promise<T>): Promise<T | undefined> {
  try {
    return await write();
  } catch (error) {
    if (conditionFailed(error)) return undefined;
    throw error;
  }
}

/** Deletes an item that exists; returns what it held, or undefined if it was not there. */
export async function deleteExisting(
  tableName: string,
  key: Record<string, string>,
): Promise<Record<string, unknown> | undefined> {
  const result = await unlessConditionFails(() =>
    documents.send(
      new DeleteCommand({
        TableName: tableName,
        Key: key,
        ConditionExpression: `attribute_exists(${Object.keys(key)[0]})`,
        ReturnValues: 'ALL_OLD',
      }),
    ),
  );
  return result?.Attributes;
}

/**
 * One page of a table whose key is `id`, with an opaque cursor valid only
 * for this table and this caller (a user id; {@link ANYONE} on public lists).
 */
export async function scanPage<T>(
  tableName: string,
  limit: number,
  cursor: string | undefined,
  toItem: (raw: Record<string, unknown>) => T,
  caller: string = ANYONE,
): Promise<Page<T>> {
  const scope = { list: tableName, caller };
  const result = await documents.send(
    new ScanCommand({
      TableName: tableName,
      Limit: limit,
      ExclusiveStartKey: cursor ? decodeCursor(cursor, scope, ['id']) : undefined,
    }),
  );
  const items = (result.Items ?? []).map(toItem);
  return result.LastEvaluatedKey
    ? { items, cursor: encodeCursor(scope, result.LastEvaluatedKey) }
    : { items };
}
