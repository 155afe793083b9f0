import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';
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
  /** The list, e.g. its table (and index) name. Never written into the cursor. */
  list: string;
  /** The caller the page was served to. */
  caller: string;
  /** On a per-user list: the key attribute that must hold the caller's id (the partition of their items). */
  ownerKey?: string;
}

/** Seals DynamoDB `LastEvaluatedKey`s into cursors, and opens what comes back. */
export interface ListCursors {
  /** An opaque cursor for a `LastEvaluatedKey` of a list served to a caller. */
  seal(scope: CursorScope, key: Record<string, unknown>): string;
  /**
   * The key inside a cursor sealed for the same list and caller, which has
   * exactly `keyNames`, each a non-empty string (the only key type these
   * tables use; DynamoDB refuses empty key strings). Anything else is a 400
   * on `query.cursor`.
   */
  open(cursor: string, scope: CursorScope, keyNames: readonly string[]): Record<string, string>;
}

const IV_BYTES = 12;
const TAG_BYTES = 16;
const BASE64URL = /^[A-Za-z0-9_-]+$/;

const sealedKey = z.record(z.string(), z.string().check(z.minLength(1)));

const notOurs = () =>
  new ValidationError([{ field: 'query.cursor', message: 'is not a cursor returned by this list' }]);

/** Binds a cursor to its list and caller: authenticated with it, never written into it. */
const boundTo = (scope: CursorScope) => Buffer.from(JSON.stringify([scope.list, scope.caller]), 'utf8');

/**
 * Cursors sealed with AES-256-GCM under a key derived from `secret` (a
 * deployment's own, see `listCursors` in functions/shared/service.ts): a
 * cursor is base64url of a random IV, the tag and the encrypted key, so it
 * shows neither the table nor the index nor the key's values, and its list
 * and caller are authenticated as associated data. A cursor altered, made
 * by another deployment, or served to another list or caller fails
 * authentication. What a sealed key holds is still checked on return (the
 * key names; on a per-user list, the caller's partition), so a leaked
 * secret still cannot reach past the caller's own items.
 */
export function listCursors(secret: string): ListCursors {
  if (secret.length < 32) throw new Error('the list cursor secret must have at least 32 characters');
  const key = Buffer.from(hkdfSync('sha256', secret, '', 'list cursors', 32));
  return {
    seal(scope, lastKey) {
      const iv = randomBytes(IV_BYTES);
      const cipher = createCipheriv('aes-256-gcm', key, iv).setAAD(boundTo(scope));
      const sealed = Buffer.concat([cipher.update(JSON.stringify(lastKey), 'utf8'), cipher.final()]);
      return Buffer.concat([iv, cipher.getAuthTag(), sealed]).toString('base64url');
    },
    open(cursor, scope, keyNames) {
      if (!BASE64URL.test(cursor)) throw notOurs();
      const bytes = Buffer.from(cursor, 'base64url');
      if (bytes.length <= IV_BYTES + TAG_BYTES) throw notOurs();
      let opened: unknown;
      try {
        const decipher = createDecipheriv('aes-256-gcm', key, bytes.subarray(0, IV_BYTES))
          .setAAD(boundTo(scope))
          .setAuthTag(bytes.subarray(IV_BYTES, IV_BYTES + TAG_BYTES));
        const plain = Buffer.concat([
          decipher.update(bytes.subarray(IV_BYTES + TAG_BYTES)),
          decipher.final(),
        ]);
        opened = JSON.parse(plain.toString('utf8'));
      } catch {
        throw notOurs();
      }
      const parsed = sealedKey.safeParse(opened);
      if (!parsed.success) throw notOurs();
      const names = Object.keys(parsed.data);
      if (
        names.length !== keyNames.length ||
        !keyNames.every((name) => names.includes(name)) ||
        (scope.ownerKey !== undefined && parsed.data[scope.ownerKey] !== scope.caller)
      ) {
        throw notOurs();
      }
      return parsed.data;
    },
  };
}
