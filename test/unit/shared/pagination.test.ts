import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../../functions/shared/errors.js';
import { ANYONE, type CursorScope, listCursors } from '../../../functions/shared/pagination.js';

const cursors = listCursors('a test secret of at least thirty-two characters');
const TABLE = 'Microservices-bookingservicesmoviestable1A2B3C-XYZ';
const INDEX = 'byUser';
const movies = { list: TABLE, caller: ANYONE };
const byUser = { list: `${TABLE}/${INDEX}`, caller: 'alice', ownerKey: 'userId' };
const MOVIE_ID = '01JAAAAAAAAAAAAAAAAAAAAAAA';

/** The field and message of the 400 a cursor gets, or undefined if it is accepted. */
function refusal(cursor: string, scope: CursorScope = movies, keyNames: readonly string[] = ['id']) {
  try {
    cursors.open(cursor, scope, keyNames);
    return undefined;
  } catch (error) {
    if (!(error instanceof ValidationError)) throw error;
    return error.issues;
  }
}

const refused = [{ field: 'query.cursor', message: 'is not a cursor returned by this list' }];

/** The cursor with one character inside it changed (not the last, whose low bits may be padding). */
const altered = (cursor: string, at: number) =>
  `${cursor.slice(0, at)}${cursor[at] === 'A' ? 'B' : 'A'}${cursor.slice(at + 1)}`;

describe('list cursors', () => {
  it('give back the key they were sealed with, for the same list and caller', () => {
    const cursor = cursors.seal(movies, { id: MOVIE_ID });
    expect(cursors.open(cursor, movies, ['id'])).toEqual({ id: MOVIE_ID });
  });

  it('are opaque: decoded, they hold no table or index name, and not the key either', () => {
    const key = { id: 'b1', userId: 'alice', createdOn: '2026-12-03T10:00:00Z' };
    for (const [scope, sealed] of [
      [movies, { id: MOVIE_ID }],
      [byUser, key],
    ] as const) {
      const cursor = cursors.seal(scope, sealed);
      expect(cursor).toMatch(/^[A-Za-z0-9_-]+$/);
      for (const encoding of ['utf8', 'latin1', 'utf16le'] as const) {
        const decoded = Buffer.from(cursor, 'base64url').toString(encoding);
        for (const secret of [TABLE, 'moviestable', INDEX, MOVIE_ID, 'alice', '2026-12-03'])
          expect(decoded).not.toContain(secret);
      }
    }
  });

  it('differ each time, even for the same key (a random IV)', () => {
    expect(cursors.seal(movies, { id: MOVIE_ID })).not.toBe(cursors.seal(movies, { id: MOVIE_ID }));
  });

  it('refuse every altered cursor with a 400 on query.cursor', () => {
    const cursor = cursors.seal(movies, { id: MOVIE_ID });
    for (let at = 0; at < cursor.length - 1; at++)
      expect(refusal(altered(cursor, at)), `at ${at}`).toEqual(refused);
    expect(refusal(cursor.slice(0, -1))).toEqual(refused);
    expect(refusal(`${cursor}AAAA`)).toEqual(refused);
  });

  it('refuse a cursor sealed by another deployment (another secret)', () => {
    const elsewhere = listCursors('another deployment, another secret, same length');
    expect(refusal(elsewhere.seal(movies, { id: MOVIE_ID }))).toEqual(refused);
  });

  it.each([
    ['the crafted cursor of the first audit, eyJpZCI6IiJ9 ({"id":""})', 'eyJpZCI6IiJ9'],
    [
      'a plain base64url JSON cursor naming the list',
      Buffer.from(JSON.stringify({ ...movies, key: { id: 'a' } })).toString('base64url'),
    ],
    ['too short to hold an IV and a tag', 'AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA'],
    ['not base64url', '%%%'],
    ['base64 with padding', `${cursors.seal(movies, { id: MOVIE_ID })}=`],
    ['empty', ''],
  ])('refuse %s', (_, cursor) => {
    expect(refusal(cursor)).toEqual(refused);
  });

  it('are bound to their list: a cursor of another list is refused', () => {
    const cursor = cursors.seal({ list: 'tasks-table', caller: ANYONE }, { id: 'a' });
    expect(refusal(cursor)).toEqual(refused);
  });

  it("are bound to their caller: one user's cursor is refused for another", () => {
    const alice = { list: 'tasks-table', caller: 'alice' };
    const cursor = cursors.seal(alice, { userId: 'alice', id: 't1' });
    expect(refusal(cursor, alice, ['userId', 'id'])).toBeUndefined();
    expect(refusal(cursor, { ...alice, caller: 'bob' }, ['userId', 'id'])).toEqual(refused);
  });

  it.each([
    ['an empty key string', { id: '' }],
    ['a number key', { id: 7 }],
    ['a missing key', {}],
    ['an extra key', { id: 'a', other: 'b' }],
    ['a wrong key name', { ID: 'a' }],
  ])('check what a sealed key holds even when the seal is good: refuse %s', (_, key) => {
    expect(refusal(cursors.seal(movies, key))).toEqual(refused);
  });

  it("on per-user lists, refuse a key outside the caller's partition even when sealed for the caller", () => {
    const alice = { list: 'tasks-table', caller: 'alice', ownerKey: 'userId' };
    expect(refusal(cursors.seal(alice, { userId: 'bob', id: 't1' }), alice, ['userId', 'id'])).toEqual(
      refused,
    );
    expect(
      refusal(cursors.seal(alice, { userId: 'alice', id: 't1' }), alice, ['userId', 'id']),
    ).toBeUndefined();
  });

  it('refuse to start from a short secret', () => {
    expect(() => listCursors('short')).toThrow(/at least 32 characters/);
  });
});
