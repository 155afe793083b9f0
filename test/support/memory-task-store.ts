import { ValidationError } from '../../functions/shared/errors.js';
import type { Task, TaskStore } from '../../functions/tasks/domain/tasks.js';

/** In-memory {@link TaskStore} with the same per-user, newest-first, cursor semantics as the table. */
export function memoryTaskStore(): TaskStore & { items: Map<string, Task> } {
  const items = new Map<string, Task>();
  const key = (userId: string, id: string) => `${userId}/${id}`;
  const order = (a: Task, b: Task) => `${b.createdOn}#${b.id}`.localeCompare(`${a.createdOn}#${a.id}`);
  return {
    items,
    async insert(task) {
      if (items.has(key(task.userId, task.id))) throw new Error('duplicate id');
      items.set(key(task.userId, task.id), { ...task });
    },
    async get(userId, id) {
      const task = items.get(key(userId, id));
      return task ? { ...task } : undefined;
    },
    async list(userId, limit, cursor) {
      const mine = [...items.values()].filter((t) => t.userId === userId).sort(order);
      let start = 0;
      if (cursor) {
        const [owner, after] = Buffer.from(cursor, 'base64url').toString().split('|');
        if (owner !== userId)
          throw new ValidationError([
            { field: 'query.cursor', message: 'is not a cursor returned by this list' },
          ]);
        start = mine.findIndex((t) => t.id === after) + 1;
      }
      const tasks = mine.slice(start, start + limit);
      const last = tasks[tasks.length - 1];
      return start + limit < mine.length && last
        ? { tasks, cursor: Buffer.from(`${userId}|${last.id}`).toString('base64url') }
        : { tasks };
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
    async ping() {},
  };
}
