import { describe, expect, it } from 'vitest';
import type { Task, TaskStore } from '../../../functions/tasks/domain/tasks.js';
import {
  allPages,
  expectCursorRefused,
  type StoreFactory,
  storePerTest,
  uniqueId,
} from './store-under-test.js';

const at = (minute: number) => new Date(Date.UTC(2026, 0, 1, 0, minute)).toISOString();

/**
 * What every {@link TaskStore} promises, run on the in-memory fake
 * (test/unit/stores) and on the DynamoDB adapter against the deployed table
 * (test/e2e/stores.test.ts): each user's tasks apart from everyone else's,
 * listed newest first a page at a time, and writes that never overwrite by
 * accident.
 */
export function describeTaskStore(name: string, makeStore: StoreFactory<TaskStore>) {
  describe(`task store: ${name}`, () => {
    const store = storePerTest(makeStore);

    async function newTask(userId: string, minute: number, id = uniqueId('task')): Promise<Task> {
      const task: Task = { id, userId, name: `task at ${minute}`, createdOn: at(minute), done: false };
      await store().insert(task);
      return task;
    }

    /** The user's whole list, a page of `limit` at a time: the pages' tasks and whether each had a cursor. */
    async function pagesOf(userId: string, limit: number) {
      const pages = await allPages(async (cursor) => {
        const { tasks, cursor: next } = await store().list(userId, limit, cursor);
        return next ? { items: tasks, cursor: next } : { items: tasks };
      });
      return pages.map((page) => ({ tasks: page.items, more: page.cursor !== undefined }));
    }

    describe('tasks', () => {
      it('gives back a task to its owner and to no one else', async () => {
        const owner = uniqueId('user');
        const task = await newTask(owner, 1);
        expect(await store().get(owner, task.id)).toEqual(task);
        expect(await store().get(uniqueId('user'), task.id)).toBeUndefined();
      });

      it('refuses to insert a task id the user already has, and keeps the first', async () => {
        const owner = uniqueId('user');
        const task = await newTask(owner, 1);
        await expect(store().insert({ ...task, name: 'again', createdOn: at(2) })).rejects.toThrow();
        expect(await store().get(owner, task.id)).toEqual(task);
      });

      it('keeps tasks of the same id apart for different users', async () => {
        const [alice, bob] = [uniqueId('user'), uniqueId('user')];
        const id = uniqueId('task');
        const alices = await newTask(alice, 1, id);
        const bobs = await newTask(bob, 2, id);
        expect(await store().get(alice, id)).toEqual(alices);
        expect(await store().get(bob, id)).toEqual(bobs);
      });

      it('changes only the fields given', async () => {
        const owner = uniqueId('user');
        const task = await newTask(owner, 1);
        expect(await store().update(owner, task.id, { done: true })).toEqual({ ...task, done: true });
        expect(await store().update(owner, task.id, { name: 'renamed' })).toEqual({
          ...task,
          done: true,
          name: 'renamed',
        });
        expect(await store().get(owner, task.id)).toEqual({ ...task, done: true, name: 'renamed' });
      });

      it("answers undefined when updating a task that is not there, or another user's, and creates none", async () => {
        const owner = uniqueId('user');
        const stranger = uniqueId('user');
        const task = await newTask(owner, 1);
        expect(await store().update(owner, uniqueId('task'), { done: true })).toBeUndefined();
        expect(await store().update(stranger, task.id, { name: 'mine now' })).toBeUndefined();
        expect(await store().get(stranger, task.id)).toBeUndefined();
        expect(await store().get(owner, task.id)).toEqual(task);
      });

      it('upsert creates a missing task', async () => {
        const owner = uniqueId('user');
        const task: Task = { id: uniqueId('task'), userId: owner, name: 'new', createdOn: at(1), done: true };
        expect(await store().upsert(task)).toEqual({ task, created: true });
        expect(await store().get(owner, task.id)).toEqual(task);
      });

      it('upsert replaces name and done of an existing task, keeping its creation time and place', async () => {
        const owner = uniqueId('user');
        const older = await newTask(owner, 1);
        const newer = await newTask(owner, 2);
        const replaced = { ...older, name: 'replaced', done: true };
        expect(await store().upsert({ ...replaced, createdOn: at(3) })).toEqual({
          task: replaced,
          created: false,
        });
        expect((await store().list(owner, 10)).tasks).toEqual([newer, replaced]);
      });

      it('deletes a task once: true, then false', async () => {
        const owner = uniqueId('user');
        const task = await newTask(owner, 1);
        expect(await store().remove(owner, task.id)).toBe(true);
        expect(await store().get(owner, task.id)).toBeUndefined();
        expect(await store().remove(owner, task.id)).toBe(false);
      });

      it("does not delete another user's task", async () => {
        const owner = uniqueId('user');
        const task = await newTask(owner, 1);
        expect(await store().remove(uniqueId('user'), task.id)).toBe(false);
        expect(await store().get(owner, task.id)).toEqual(task);
      });

      it('deletes every task of one user, more than a batch of 25, and no one else’s', async () => {
        const [owner, other] = [uniqueId('user'), uniqueId('user')];
        for (let minute = 0; minute < 30; minute++) await newTask(owner, minute);
        const kept = await newTask(other, 1);
        expect(await store().removeAllOf(owner)).toBe(30);
        expect((await store().list(owner, 100)).tasks).toEqual([]);
        expect(await store().get(other, kept.id)).toEqual(kept);
        expect(await store().removeAllOf(owner)).toBe(0);
      });

      it('answers a ping', async () => {
        await expect(store().ping()).resolves.toBeUndefined();
      });
    });

    describe('listing', () => {
      it('lists newest first, tasks created at the same time by id, the greater first', async () => {
        const owner = uniqueId('user');
        const first = await newTask(owner, 1);
        const third = await newTask(owner, 3);
        const tieA = await newTask(owner, 2, `a-${uniqueId('task')}`);
        const tieB = await newTask(owner, 2, `b-${uniqueId('task')}`);
        expect(await store().list(owner, 10)).toEqual({ tasks: [third, tieB, tieA, first] });
      });

      it('lists only the user’s own tasks', async () => {
        const [alice, bob] = [uniqueId('user'), uniqueId('user')];
        const alices = await newTask(alice, 1);
        await newTask(bob, 2);
        expect((await store().list(alice, 10)).tasks).toEqual([alices]);
        expect(await store().list(uniqueId('user'), 10)).toEqual({ tasks: [] });
      });

      it('pages through the list in order, at most the limit a page, each task once', async () => {
        const owner = uniqueId('user');
        const created: Task[] = [];
        for (let minute = 1; minute <= 7; minute++) created.push(await newTask(owner, minute));
        const pages = await pagesOf(owner, 3);
        for (const page of pages) expect(page.tasks.length).toBeLessThanOrEqual(3);
        expect(pages.slice(0, 2).map((page) => page.tasks.length)).toEqual([3, 3]);
        expect(pages.flatMap((page) => page.tasks)).toEqual(created.reverse());
      });

      it('ends the list with a page that has room to spare (no cursor)', async () => {
        const owner = uniqueId('user');
        for (let minute = 1; minute <= 4; minute++) await newTask(owner, minute);
        expect(await pagesOf(owner, 3)).toEqual([
          { tasks: expect.any(Array), more: true },
          { tasks: [expect.objectContaining({ createdOn: at(1) })], more: false },
        ]);
        expect((await store().list(owner, 5)).cursor).toBeUndefined();
      });

      it('gives a full page a cursor even when nothing follows, so the list ends on an empty page', async () => {
        const owner = uniqueId('user');
        for (let minute = 1; minute <= 4; minute++) await newTask(owner, minute);
        expect((await pagesOf(owner, 2)).map((page) => [page.tasks.length, page.more])).toEqual([
          [2, true],
          [2, true],
          [0, false],
        ]);
      });

      it('goes on after the task a page ended on, even once that task is deleted', async () => {
        const owner = uniqueId('user');
        const created: Task[] = [];
        for (let minute = 1; minute <= 5; minute++) created.push(await newTask(owner, minute));
        const first = await store().list(owner, 2);
        expect(first.tasks).toEqual([created[4], created[3]]);
        await store().remove(owner, created[3]?.id ?? '');
        expect((await store().list(owner, 2, first.cursor)).tasks).toEqual([created[2], created[1]]);
      });

      it("refuses a cursor issued for another user's list, or one it never issued", async () => {
        const owner = uniqueId('user');
        await newTask(owner, 1);
        await newTask(owner, 2);
        const { cursor } = await store().list(owner, 1);
        expect(cursor).toBeDefined();
        await expectCursorRefused(store().list(uniqueId('user'), 1, cursor));
        await expectCursorRefused(store().list(owner, 1, 'not-a-cursor'));
      });
    });
  });
}
