import { z } from 'zod';
import { ValidationError } from './errors.js';

/** `?limit=&cursor=` of every list route. */
export const pageQuery = z.object({
  limit: z.coerce
    .number('must be a number')
    .int('must be a whole number')
    .min(1, 'must be between 1 and 100')
    .max(100, 'must be between 1 and 100')
    .default(20),
  cursor: z.string().min(1).max(2048).optional(),
});

/** The response schema of a list route: a page of `item`s. */
export function pageOf<T extends z.ZodType>(item: T) {
  return z.object({
    items: z.array(item),
    cursor: z
      .string()
      .optional()
      .describe('Opaque; pass back to get the next page. Absent on the last page.'),
  });
}

export interface Page<T> {
  items: T[];
  /** Opaque; pass back to get the next page. Absent on the last page. */
  cursor?: string;
}

/** An opaque cursor for a DynamoDB `LastEvaluatedKey`. */
export function encodeCursor(key: Record<string, unknown>): string {
  return Buffer.from(JSON.stringify(key)).toString('base64url');
}

/** Decodes a cursor made by {@link encodeCursor} whose key has exactly the given string attributes. */
export function decodeCursor(cursor: string, keyNames: readonly string[]): Record<string, string> {
  const invalid = new ValidationError([
    { field: 'query.cursor', message: 'is not a cursor returned by this list' },
  ]);
  let key: unknown;
  try {
    key = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw invalid;
  }
  if (typeof key !== 'object' || key === null) throw invalid;
  const entries = Object.entries(key);
  if (
    entries.length !== keyNames.length ||
    !entries.every(([k, v]) => keyNames.includes(k) && typeof v === 'string')
  ) {
    throw invalid;
  }
  return key as Record<string, string>;
}
