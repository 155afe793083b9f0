import type { Task, TaskStore } from '../../functions/tasks/domain/tasks.js';
import { memoryPage } from './memory-page.js';

/**
 * In-memory {@link TaskStore} with the table's per-user, newest-first,
 * cursor semantics (test/support/store-suites/task-store.ts runs the same
 * behaviour on both): a user's tasks are read by `<createdOn>#<id>`
 * descending, a page at a time from just after the cursor's key.
 */
export function memoryTaskStore(): TaskStore & { items: Map<string, Task> } {
  const items = new Map<string, Task>();
  const key = (userId: string, id: string) => `${userId}/${id}`;
  return {
    items,
    async insert(task) {
      if (items.has(key(task.userId, task.id))) throw new Error(`task ${task.id} already exists`);
      items.set(key(task.userId, task.id), { ...task });
    },
    async get(userId, id) {
      const task = items.get(key(userId, id));
      return task ? { ...task } : undefined;
    },
    async list(userId, limit, cursor) {
      const page = memoryPage(
        {
          items: [...items.values()].filter((t) => t.userId === userId).map((t) => ({ ...t })),
          scope: { list: 'memory-tasks/newest-first', caller: userId, ownerKey: 'userId' },
          keyNames: ['userId', 'id', 'createdKey'],
          keyOf: (t) => ({ userId: t.userId, id: t.id, createdKey: `${t.createdOn}#${t.id}` }),
          position: (k) => k.createdKey ?? '',
          descending: true,
        },
        limit,
        cursor,
      );
      return page.cursor ? { tasks: page.items, cursor: page.cursor } : { tasks: page.items };
    },
    async update(userId, id, changes) {
      const task = items.get(key(userId, id));
      if (!task) return undefined;
      Object.assign(task, Object.fromEntries(Object.entries(changes).filter(([, v]) => v !== undefined)));
      return { ...task };
    },
    async upsert(task) {
      const existing = items.get(key(task.userId, task.id));
      if (existing) {
        Object.assign(existing, { name: task.name, done: task.done });
        return { task: { ...existing }, created: false };
      }
      items.set(key(task.userId, task.id), { ...task });
      return { task: { ...task }, created: true };
    },
    async remove(userId, id) {
      return items.delete(key(userId, id));
    },
    async removeAllOf(userId) {
      const mine = [...items.values()].filter((t) => t.userId === userId);
      for (const task of mine) items.delete(key(userId, task.id));
      return mine.length;
    },
    async ping() {},
  };
}
