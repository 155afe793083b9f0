import { beforeEach, describe, expect, it } from 'vitest';
import { NotFoundError, ValidationError } from '../../../functions/shared/errors.js';
import type { FeedEventInput } from '../../../functions/shared/log-feed/event.js';
import { TASK_EVENTS, taskService } from '../../../functions/tasks/domain/tasks.js';
import { memoryTaskStore } from '../../support/memory-task-store.js';

const ALICE = 'user-alice';
const BOB = 'user-bob';

let store: ReturnType<typeof memoryTaskStore>;
let published: FeedEventInput[];
let tasks: ReturnType<typeof taskService>;
let clock: number;

beforeEach(() => {
  store = memoryTaskStore();
  published = [];
  clock = Date.parse('2026-11-21T10:00:00.000Z');
  let seq = 0;
  tasks = taskService({
    store,
    feed: { publish: async (event) => void published.push(event) },
    newId: () => `t${String(++seq).padStart(3, '0')}`,
    now: () => {
      clock += 1000;
      return new Date(clock);
    },
  });
});

describe('tasks', () => {
  it('creates a task with a server id, a UTC timestamp and done = false, and announces it', async () => {
    const task = await tasks.create(ALICE, 'buy milk');
    expect(task).toEqual({
      id: 't001',
      userId: ALICE,
      name: 'buy milk',
      createdOn: '2026-11-21T10:00:01.000Z',
      done: false,
    });
    expect(published).toEqual([{ type: TASK_EVENTS.created, data: { userId: ALICE, task } }]);
  });

  it("treats another user's task as missing for read, update and delete", async () => {
    const task = await tasks.create(ALICE, 'private');
    await expect(tasks.get(BOB, task.id)).rejects.toBeInstanceOf(NotFoundError);
    await expect(tasks.update(BOB, task.id, { done: true })).rejects.toBeInstanceOf(NotFoundError);
    await expect(tasks.remove(BOB, task.id)).rejects.toBeInstanceOf(NotFoundError);
    expect(await tasks.get(ALICE, task.id)).toEqual(task);
  });

  it('updates only the given fields and announces what changed', async () => {
    const task = await tasks.create(ALICE, 'draft');
    const updated = await tasks.update(ALICE, task.id, { done: true });
    expect(updated).toEqual({ ...task, done: true });
    expect(published.at(-1)).toEqual({
      type: TASK_EVENTS.updated,
      data: { userId: ALICE, task: updated, changed: ['done'] },
    });
  });

  it('refuses an update that changes nothing', async () => {
    const task = await tasks.create(ALICE, 'x');
    await expect(tasks.update(ALICE, task.id, {})).rejects.toBeInstanceOf(ValidationError);
  });

  it('answers 404 for updating or deleting a task that is gone, publishing nothing', async () => {
    await expect(tasks.update(ALICE, 'nope', { name: 'y' })).rejects.toBeInstanceOf(NotFoundError);
    await expect(tasks.remove(ALICE, 'nope')).rejects.toBeInstanceOf(NotFoundError);
    expect(published).toEqual([]);
  });

  it('upsert creates a missing task, then replaces its name and done but keeps its creation time', async () => {
    const first = await tasks.upsert(ALICE, 'mine', 'one', false);
    expect(first.created).toBe(true);
    const second = await tasks.upsert(ALICE, 'mine', 'two', true);
    expect(second).toEqual({ created: false, task: { ...first.task, name: 'two', done: true } });
    expect(published.map((e) => e.type)).toEqual([TASK_EVENTS.created, TASK_EVENTS.updated]);
  });

  it("upsert with another user's id makes the caller's own task and leaves theirs alone", async () => {
    const alices = await tasks.upsert(ALICE, 'shared-id', 'alice', false);
    const bobs = await tasks.upsert(BOB, 'shared-id', 'bob', true);
    expect(bobs.created).toBe(true);
    expect(await tasks.get(ALICE, 'shared-id')).toEqual(alices.task);
  });

  it('deletes and announces the deletion with the user id only', async () => {
    const task = await tasks.create(ALICE, 'gone soon');
    await tasks.remove(ALICE, task.id);
    await expect(tasks.get(ALICE, task.id)).rejects.toBeInstanceOf(NotFoundError);
    expect(published.at(-1)).toEqual({ type: TASK_EVENTS.deleted, data: { userId: ALICE, taskId: task.id } });
  });

  it('lists newest first across pages, each task exactly once', async () => {
    for (let i = 0; i < 7; i++) await tasks.create(ALICE, `task ${i}`);
    await tasks.create(BOB, 'not yours');
    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await tasks.list(ALICE, 3, cursor);
      seen.push(...page.tasks.map((t) => t.name));
      cursor = page.cursor;
    } while (cursor);
    expect(seen).toEqual(['task 6', 'task 5', 'task 4', 'task 3', 'task 2', 'task 1', 'task 0']);
  });

  it('reports health from the store', async () => {
    expect(await tasks.health()).toEqual({ status: 'ok', table: 'reachable' });
  });
});
