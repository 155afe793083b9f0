import * as z from 'zod/mini';
import { ValidationError } from './errors.js';

/** `?limit=&cursor=` of every list route. */
export const pageQuery = z.object({
  limit: z._default(
    z.coerce
      .number('must be a number')
      .check(
        z.int('must be a whole number'),
        z.gte(1, 'must be between 1 and 100'),
        z.lte(100, 'must be between 1 and 100'),
      ),
    20,
  ),
  cursor: z.optional(z.string().check(z.minLength(1), z.maxLength(2048))),
});

/** The `cursor` of a page in a list route's response. */
export const pageCursor = z
  .optional(z.string())
  .check(z.describe('Opaque; pass back to get the next page. Absent on the last page.'));

/** The response schema of a list route: a page of `item`s. */
export function pageOf<T extends z.ZodMiniType>(item: T) {
  return z.object({ items: z.array(item), cursor: pageCursor });
}

export interface Page<T> {
  items: T[];
  /** Opaque; pass back to get the next page. Absent on the last page. */
  cursor?: string;
}

/**
 * Who a list is for: a user's id on per-user lists, {@link ANYONE} on lists
 * every caller sees the same.
 */
export const ANYONE = '*';

/** Which list a cursor belongs to and for whom; checked when it comes back. */
export interface CursorScope {
  /** The list, e.g. its table (and index) name. */
  list: string;
  /** The caller the page was served to. */
  caller: string;
  /** On a per-user list: the key attribute that must hold the caller's id (the partition of their items). */
  ownerKey?: string;
}

/**
 * What a cursor carries: the list, the caller and DynamoDB's
 * `LastEvaluatedKey`. Base64url, so opaque to clients; not signed, so every
 * part is checked on return instead (a crafted one can only point into the
 * caller's own list, with keys DynamoDB accepts).
 */
const cursorShape = z.strictObject({
  list: z.string(),
  caller: z.string(),
  key: z.record(z.string(), z.string().check(z.minLength(1))),
});

const notOurs = () =>
  new ValidationError([{ field: 'query.cursor', message: 'is not a cursor returned by this list' }]);

/** An opaque cursor for a DynamoDB `LastEvaluatedKey` of a list served to a caller. */
export function encodeCursor(scope: CursorScope, key: Record<string, unknown>): string {
  // ownerKey is a rule for checking, not part of the cursor.
  return Buffer.from(JSON.stringify({ list: scope.list, caller: scope.caller, key })).toString('base64url');
}

/**
 * Decodes a cursor made by {@link encodeCursor} for the same list and caller,
 * whose key has exactly the given attributes, each a non-empty string (the
 * only key type these tables use; DynamoDB refuses empty key strings).
 * Anything else is a 400 on `query.cursor`.
 */
export function decodeCursor(
  cursor: string,
  scope: CursorScope,
  keyNames: readonly string[],
): Record<string, string> {
  let decoded: unknown;
  try {
    decoded = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw notOurs();
  }
  const parsed = cursorShape.safeParse(decoded);
  if (!parsed.success) throw notOurs();
  const { list, caller, key } = parsed.data;
  const names = Object.keys(key);
  if (
    list !== scope.list ||
    caller !== scope.caller ||
    names.length !== keyNames.length ||
    !keyNames.every((name) => names.includes(name)) ||
    (scope.ownerKey !== undefined && key[scope.ownerKey] !== scope.caller)
  ) {
    throw notOurs();
  }
  return key;
}
