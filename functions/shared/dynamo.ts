import { ConditionalCheckFailedException, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DeleteCommand, DynamoDBDocumentClient, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { readEnv } from './env.js';
import { ENV } from './env-names.js';
import { ANYONE, type CursorScope, type ListCursors, listCursors, type Page } from './pagination.js';
import { counted } from './request-counting.js';

/** The DynamoDB client of a function, created once (libraries that take a plain client use it). */
export const dynamodb = counted(new DynamoDBClient({}));

/** The document client of a function, over {@link dynamodb}. */
export const documents = DynamoDBDocumentClient.from(dynamodb, {
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

/** What a Scan or Query page returns that paging needs. */
interface RawPage {
  Items?: Record<string, unknown>[];
  LastEvaluatedKey?: Record<string, unknown>;
}

let cursors: ListCursors | undefined;

/**
 * This function's list cursors, sealed with the deployment's secret that a
 * function declared with `listCursors` is given. Read on the first page
 * served rather than at load, as the stores that page are also used by
 * functions that never do (and are not given the secret).
 */
const cursorsOfThisFunction = (): ListCursors =>
  (cursors ??= listCursors(readEnv({ secret: ENV.listCursorSecret }).secret));

/**
 * One page of a Scan or Query behind an opaque cursor bound to `scope`: the
 * cursor that comes back is opened (its key must have exactly `keyNames`),
 * `read` runs from it, and the next page's cursor is sealed for the same scope.
 */
export async function cursorPage<T>(
  scope: CursorScope,
  keyNames: readonly string[],
  cursor: string | undefined,
  read: (start: Record<string, string> | undefined) => Promise<RawPage>,
  toItem: (raw: Record<string, unknown>) => T,
): Promise<Page<T>> {
  const sealing = cursorsOfThisFunction();
  const result = await read(cursor ? sealing.open(cursor, scope, keyNames) : undefined);
  const items = (result.Items ?? []).map(toItem);
  return result.LastEvaluatedKey
    ? { items, cursor: sealing.seal(scope, result.LastEvaluatedKey) }
    : { items };
}

/**
 * One page of a table whose key is `id` (an admin's or a public list), with
 * an opaque cursor valid only for this table; `only` limits what is read.
 */
export function scanPage<T>(
  tableName: string,
  limit: number,
  cursor: string | undefined,
  toItem: (raw: Record<string, unknown>) => T,
  only?: Projection,
): Promise<Page<T>> {
  return cursorPage(
    { list: tableName, caller: ANYONE },
    ['id'],
    cursor,
    (start) =>
      documents.send(
        new ScanCommand({
          TableName: tableName,
          Limit: limit,
          ExclusiveStartKey: start,
          ...only,
        }),
      ),
    toItem,
  );
}

/**
 * Read only these top-level attributes (names escaped, so reserved words are
 * fine). Build it once, at cold start, and spread it into each read.
 */
export function projection(attributes: readonly string[]) {
  return {
    ProjectionExpression: attributes.map((_, i) => `#a${i}`).join(', '),
    ExpressionAttributeNames: Object.fromEntries(attributes.map((name, i) => [`#a${i}`, name])),
  };
}

export type Projection = ReturnType<typeof projection>;
