import { describe, expect, it } from 'vitest';
import {
  cursorOf,
  firstPage,
  hasNewer,
  hasOlder,
  loaded,
  newer,
  older,
} from '../../../functions/console/app/paging.js';
import { forgetRoute, rememberRoute, takeReturnRoute } from '../../../functions/console/app/return-to.js';

describe('paging cursors', () => {
  it('learns of a next page when the first page is loaded again after it grew', () => {
    let paging = loaded(firstPage(), undefined);
    expect(hasOlder(paging)).toBe(false);
    // Tasks were added: the same first page, read again, now has a next cursor.
    paging = loaded(paging, 'c1');
    expect(hasOlder(paging)).toBe(true);
    paging = older(paging);
    expect(cursorOf(paging)).toBe('c1');
    paging = loaded(paging, 'c2');
    paging = loaded(older(paging), undefined);
    expect(paging.at).toBe(2);
    expect(hasOlder(paging)).toBe(false);
    expect(hasNewer(paging)).toBe(true);
  });

  it('keeps the cursors of earlier pages going back, and takes the newest next cursor of each page', () => {
    let paging = older(loaded(firstPage(), 'c1'));
    paging = loaded(paging, 'c2');
    paging = newer(paging);
    expect(cursorOf(paging)).toBeUndefined();
    // Page 1 read again after a delete: its next page now starts elsewhere; later cursors are dropped.
    paging = loaded(paging, 'c1b');
    expect(paging.cursors).toEqual([undefined, 'c1b']);
    expect(newer(paging)).toEqual(paging);
    expect(older(loaded(paging, undefined))).toEqual({ cursors: [undefined], at: 0 });
  });
});

describe('the page to return to after login', () => {
  const storage = () => {
    const kept = new Map<string, string>();
    return {
      getItem: (k: string) => kept.get(k) ?? null,
      setItem: (k: string, v: string) => void kept.set(k, v),
      removeItem: (k: string) => void kept.delete(k),
    };
  };

  it('returns to a deep link, once, and never to the login or sign-up page', () => {
    const kept = storage();
    rememberRoute(kept, 'movies');
    rememberRoute(kept, 'signup');
    expect(takeReturnRoute(kept)).toBe('movies');
    expect(takeReturnRoute(kept)).toBe('tasks');
  });

  it('starts afresh after a log out', () => {
    const kept = storage();
    rememberRoute(kept, 'admin');
    forgetRoute(kept);
    expect(takeReturnRoute(kept)).toBe('tasks');
  });
});
