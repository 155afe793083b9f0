import * as z from 'zod/mini';
import { NotFoundError, ValidationError } from '../../shared/errors.js';
import type { FeedPublisher } from '../../shared/log-feed/event.js';
import { pageCursor } from '../../shared/pagination.js';

/**
 * A user's task. `id` and `createdOn` are set by the server (or `id` by the
 * caller of an upsert). The schema is the routes' response schema too.
 */
export const task = z.object({
  id: z.string(),
  userId: z.string(),
  name: z.string(),
  createdOn: z.iso.datetime().check(z.describe('ISO-8601 UTC')),
  done: z.boolean(),
});
export type Task = z.infer<typeof task>;

/**
 * A page of tasks. The list is under `tasks`, not `items` as in the other
 * lists: it is the documented shape of `GET /tasks`, which clients such as the
 * console read.
 */
export const taskPage = z.object({ tasks: z.array(task), cursor: pageCursor });
export type TaskPage = z.infer<typeof taskPage>;

export const health = z.object({ status: z.literal('ok'), table: z.literal('reachable') });

export interface TaskChanges {
  name?: string;
  done?: boolean;
}

/**
 * Port to the tasks table. Every method is scoped to one user: another user's
 * task is simply not there. Writes are conditional, never read-modify-write.
 */
export interface TaskStore {
  /** Stores a new task; never overwrites. */
  insert(task: Task): Promise<void>;
  get(userId: string, id: string): Promise<Task | undefined>;
  /** Newest first. Throws ValidationError for a cursor it did not issue to this user. */
  list(userId: string, limit: number, cursor?: string): Promise<TaskPage>;
  /** Applies the changes if the task exists; undefined if it does not. */
  update(userId: string, id: string, changes: TaskChanges): Promise<Task | undefined>;
  /** Creates the task, or replaces its name and done while keeping its createdOn. */
  upsert(task: Task): Promise<{ task: Task; created: boolean }>;
  /** True if a task was deleted. */
  remove(userId: string, id: string): Promise<boolean>;
  /** Deletes every task of the user; answers how many there were. */
  removeAllOf(userId: string): Promise<number>;
  /** Throws if the table cannot be reached. */
  ping(): Promise<void>;
}

export const TASK_EVENTS = {
  created: 'task.created',
  updated: 'task.updated',
  deleted: 'task.deleted',
} as const;

export interface TaskDeps {
  store: TaskStore;
  feed: FeedPublisher;
  newId: () => string;
  now: () => Date;
}

const notFound = (id: string) => new NotFoundError(`task ${id} not found`);

/**
 * The erasure of a person's tasks, for the deletion of their account (the
 * users service calls it over RPC once no request of theirs can still run).
 */
export function taskErasure({ store }: { store: Pick<TaskStore, 'removeAllOf'> }) {
  return {
    eraseForUser: async (userId: string) => ({ erased: await store.removeAllOf(userId) }),
  };
}

/** One person's tasks: list, get, add, update, upsert and delete, each on the caller's own tasks only. */
export function taskService({ store, feed, newId, now }: TaskDeps) {
  /** Feed events name the user by id only, never by email. */
  const publish = (type: string, userId: string, data: Record<string, unknown>) =>
    feed.publish({ type, data: { userId, ...data } });

  return {
    list: (userId: string, limit: number, cursor?: string) => store.list(userId, limit, cursor),

    async get(userId: string, id: string): Promise<Task> {
      const task = await store.get(userId, id);
      if (!task) throw notFound(id);
      return task;
    },

    async create(userId: string, name: string): Promise<Task> {
      const task: Task = { id: newId(), userId, name, createdOn: now().toISOString(), done: false };
      await store.insert(task);
      await publish(TASK_EVENTS.created, userId, { task });
      return task;
    },

    async update(userId: string, id: string, changes: TaskChanges): Promise<Task> {
      if (changes.name === undefined && changes.done === undefined) {
        throw new ValidationError([{ field: 'body', message: 'must change at least one of name, done' }]);
      }
      const task = await store.update(userId, id, changes);
      if (!task) throw notFound(id);
      await publish(TASK_EVENTS.updated, userId, { task, changed: Object.keys(changes) });
      return task;
    },

    async upsert(userId: string, id: string, name: string, done: boolean) {
      const result = await store.upsert({ id, userId, name, done, createdOn: now().toISOString() });
      await publish(result.created ? TASK_EVENTS.created : TASK_EVENTS.updated, userId, {
        task: result.task,
      });
      return result;
    },

    async remove(userId: string, id: string): Promise<void> {
      if (!(await store.remove(userId, id))) throw notFound(id);
      await publish(TASK_EVENTS.deleted, userId, { taskId: id });
    },

    health: async () => {
      await store.ping();
      return { status: 'ok', table: 'reachable' } as const;
    },
  };
}
