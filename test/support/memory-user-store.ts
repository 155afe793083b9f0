import { ANYONE } from '../../functions/shared/pagination.js';
import type { Profile, UserStore } from '../../functions/users/domain/users.js';
import { memoryPage } from './memory-page.js';

/**
 * In-memory {@link UserStore} with the DynamoDB adapter's rules: conditional
 * inserts, renames refused while a deletion runs, a deletion mark kept
 * unless renewed, and a Scan of the table a page at a time.
 */
export function memoryUserStore(
  initial: readonly Profile[] = [],
): UserStore & { rows: Map<string, Profile> } {
  const rows = new Map(initial.map((p) => [p.id, { ...p }]));
  const copy = (id: string) => (rows.has(id) ? { ...(rows.get(id) as Profile) } : undefined);
  return {
    rows,
    async insertIfAbsent(user) {
      if (!rows.has(user.id)) rows.set(user.id, { ...user });
      return copy(user.id) as Profile;
    },
    get: async (id) => copy(id),
    page: async (limit, cursor) =>
      memoryPage(
        {
          items: [...rows.values()].map((p) => ({ ...p })),
          scope: { list: 'memory-users', caller: ANYONE },
          keyNames: ['id'],
          keyOf: (p) => ({ id: p.id }),
          position: (key) => key.id ?? '',
        },
        limit,
        cursor,
      ),
    async *every(pageSize) {
      const all = [...rows.values()].map((p) => ({ ...p }));
      for (let i = 0; i < all.length; i += pageSize) yield all.slice(i, i + pageSize);
    },
    async rename(id, name) {
      const row = rows.get(id);
      if (!row || row.deletingSince) return undefined;
      row.name = name;
      return copy(id);
    },
    async markDeleting(id, mark, renew = false) {
      const row = rows.get(id);
      if (!row) return undefined;
      if (renew || !row.deletingSince) Object.assign(row, mark);
      return copy(id);
    },
    remove: async (id) => rows.delete(id),
  };
}
