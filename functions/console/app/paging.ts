/**
 * Where a paged list is: the cursor of each page seen so far and which page
 * is shown. A page's cursor is the API's key after the previous page, so it
 * stays valid when items are added or deleted; the cursor of the next page
 * is always the one from the latest load of this page (a list that grew past
 * a page gets its "Older" as soon as the page is loaded again). Pure.
 */
export interface Paging {
  /** `cursors[i]` loads page i (`cursors[0]` is undefined: the first page); one past `at` when a next page is known. */
  cursors: ReadonlyArray<string | undefined>;
  /** The page shown, from 0. */
  at: number;
}

export const firstPage = (): Paging => ({ cursors: [undefined], at: 0 });

/** The cursor that loads the page shown. */
export const cursorOf = (paging: Paging) => paging.cursors[paging.at];

/** The page shown was loaded and said what comes next (`next`, or nothing on the last page): later cursors are dropped. */
export const loaded = (paging: Paging, next: string | undefined): Paging => ({
  at: paging.at,
  cursors: [...paging.cursors.slice(0, paging.at + 1), ...(next ? [next] : [])],
});

export const hasOlder = (paging: Paging) => paging.at + 1 < paging.cursors.length;
export const hasNewer = (paging: Paging) => paging.at > 0;

/** The next page (to load); the same paging when there is none. */
export const older = (paging: Paging): Paging =>
  hasOlder(paging) ? { ...paging, at: paging.at + 1 } : paging;
/** The previous page (to load); the same paging on the first. */
export const newer = (paging: Paging): Paging =>
  hasNewer(paging) ? { ...paging, at: paging.at - 1 } : paging;
