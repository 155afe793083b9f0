import { type CursorScope, listCursors, type Page } from '../../functions/shared/pagination.js';

/** The fakes' cursors: sealed and checked as the adapters' are, under a secret of the tests. */
const cursors = listCursors('in-memory fakes of the stores, not a deployment');

/** How an in-memory list is read a page at a time, as a DynamoDB Query or Scan reads its table. */
export interface MemoryList<T> {
  /** Every item the read could meet (a partition, or the table). */
  items: Iterable<T>;
  /** The cursor's scope, as the adapter makes it: its cursors and the fake's are checked alike. */
  scope: CursorScope;
  /** The attributes of a `LastEvaluatedKey` (table key plus index key). */
  keyNames: readonly string[];
  /** The item's key as DynamoDB would return it in `LastEvaluatedKey`. */
  keyOf: (item: T) => Record<string, string>;
  /** Where a key sits in the read order (compared as strings). */
  position: (key: Record<string, string>) => string;
  descending?: boolean;
  /** A FilterExpression: applied after `limit` items are read, so a page can come back short and still go on. */
  keep?: (item: T) => boolean;
}

/**
 * One page of an in-memory list with DynamoDB's paging rules, which the
 * adapters pass on: `limit` items are read from just after the cursor's key
 * (which need not exist any more), and a full read gives a cursor even when
 * nothing follows, because DynamoDB stops at the limit without looking
 * further. A cursor not issued for this list and caller is a
 * ValidationError on `query.cursor`, as from the adapters.
 */
export function memoryPage<T>(list: MemoryList<T>, limit: number, cursor?: string): Page<T> {
  const { scope, keyNames, keyOf, position, descending = false, keep = () => true } = list;
  const at = (item: T) => position(keyOf(item));
  const sign = descending ? -1 : 1;
  const ordered = [...list.items].sort((a, b) => sign * at(a).localeCompare(at(b)));
  const start = cursor ? position(cursors.open(cursor, scope, keyNames)) : undefined;
  const after =
    start === undefined ? ordered : ordered.filter((item) => sign * at(item).localeCompare(start) > 0);
  const read = after.slice(0, limit);
  const last = read.at(-1);
  const items = read.filter(keep);
  return read.length === limit && last ? { items, cursor: cursors.seal(scope, keyOf(last)) } : { items };
}
