import { randomUUID } from 'node:crypto';
import { afterEach, beforeEach, expect } from 'vitest';
import { ValidationError } from '../../../functions/shared/errors.js';
import type { Page } from '../../../functions/shared/pagination.js';

/** A store for one test, and how to remove what the test wrote (the real tables are shared). */
export interface StoreUnderTest<S> {
  store: S;
  cleanup?: () => Promise<void>;
}

/** Makes the store a test runs on: a fresh fake, or the deployed table's adapter. */
export type StoreFactory<S> = () => Promise<StoreUnderTest<S>>;

/** A fresh store for each test of the calling `describe` (cleaned up after it); read it inside tests. */
export function storePerTest<S>(make: StoreFactory<S>): () => S {
  let current: StoreUnderTest<S> | undefined;
  beforeEach(async () => {
    current = await make();
  });
  afterEach(async () => {
    await current?.cleanup?.();
    current = undefined;
  });
  return () => {
    if (!current) throw new Error('the store is only there inside a test');
    return current.store;
  };
}

/** An id no other test (nor another run on the same stack) uses. */
export const uniqueId = (what: string) => `${what}-${randomUUID()}`;

/** Every page of a list, from the first until one comes without a cursor. */
export async function allPages<T>(read: (cursor?: string) => Promise<Page<T>>): Promise<Page<T>[]> {
  const pages: Page<T>[] = [];
  let cursor: string | undefined;
  do {
    const page = await read(cursor);
    pages.push(page);
    cursor = page.cursor;
    // A store that hands out cursors forever would hang the test instead of failing it.
    if (pages.length > 1000) throw new Error('more than 1000 pages: the cursor does not advance');
  } while (cursor);
  return pages;
}

/** The list refused the cursor as a 400 on `query.cursor`, as every list route answers a foreign cursor. */
export async function expectCursorRefused(listing: Promise<unknown>): Promise<void> {
  const error = await listing.then(
    () => undefined,
    (thrown: unknown) => thrown,
  );
  expect(error).toBeInstanceOf(ValidationError);
  expect((error as ValidationError).issues.map((issue) => issue.field)).toEqual(['query.cursor']);
}
