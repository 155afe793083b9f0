import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../../functions/shared/errors.js';
import { ANYONE, decodeCursor, encodeCursor } from '../../../functions/shared/pagination.js';

const users = { list: 'users-table', caller: ANYONE };
const base64url = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

/** The field and message of the 400 a cursor gets, or undefined if it is accepted. */
function refusal(cursor: string, scope = users, keyNames: readonly string[] = ['id']) {
  try {
    decodeCursor(cursor, scope, keyNames);
    return undefined;
  } catch (error) {
    if (!(error instanceof ValidationError)) throw error;
    return error.issues;
  }
}

const refused = [{ field: 'query.cursor', message: 'is not a cursor returned by this list' }];

describe('list cursors', () => {
  it('give back the key they were made from, for the same list and caller', () => {
    const cursor = encodeCursor(users, { id: '01JAAAAAAAAAAAAAAAAAAAAAAA' });
    expect(decodeCursor(cursor, users, ['id'])).toEqual({ id: '01JAAAAAAAAAAAAAAAAAAAAAAA' });
  });

  it('refuse the crafted cursor of the issue, eyJpZCI6IiJ9 ({"id":""}), with a 400 on query.cursor', () => {
    expect(Buffer.from('eyJpZCI6IiJ9', 'base64url').toString()).toBe('{"id":""}');
    expect(refusal('eyJpZCI6IiJ9')).toEqual(refused);
  });

  it.each([
    ['an empty key string', base64url({ ...users, key: { id: '' } })],
    ['a number key', base64url({ ...users, key: { id: 7 } })],
    ['a missing key', base64url({ ...users, key: {} })],
    ['an extra key', base64url({ ...users, key: { id: 'a', other: 'b' } })],
    ['a wrong key name', base64url({ ...users, key: { ID: 'a' } })],
    ['an unknown field', base64url({ ...users, key: { id: 'a' }, extra: 1 })],
    ['no list', base64url({ caller: ANYONE, key: { id: 'a' } })],
    ['a JSON array', base64url([1, 2])],
    ['JSON null', base64url(null)],
    ['not JSON', Buffer.from('{"id":').toString('base64url')],
    ['not base64', '%%%'],
  ])('refuse %s', (_, cursor) => {
    expect(refusal(cursor)).toEqual(refused);
  });

  it('are bound to their list: a movies cursor is refused by users', () => {
    const cursor = encodeCursor({ list: 'movies-table', caller: ANYONE }, { id: 'a' });
    expect(refusal(cursor)).toEqual(refused);
  });

  it("are bound to their caller: one user's cursor is refused for another", () => {
    const alice = { list: 'tasks-table', caller: 'alice' };
    const cursor = encodeCursor(alice, { userId: 'alice', id: 't1' });
    expect(refusal(cursor, alice, ['userId', 'id'])).toBeUndefined();
    expect(refusal(cursor, { ...alice, caller: 'bob' }, ['userId', 'id'])).toEqual(refused);
  });

  it("on per-user lists, refuse a key outside the caller's partition even with the right caller", () => {
    const alice = { list: 'tasks-table', caller: 'alice', ownerKey: 'userId' };
    const crafted = encodeCursor(alice, { userId: 'bob', id: 't1' });
    expect(refusal(crafted, alice, ['userId', 'id'])).toEqual(refused);
    expect(
      refusal(encodeCursor(alice, { userId: 'alice', id: 't1' }), alice, ['userId', 'id']),
    ).toBeUndefined();
  });
});
