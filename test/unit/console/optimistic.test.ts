import { describe, expect, it } from 'vitest';
import { optimistic, replaceById } from '../../../functions/console/app/optimistic.js';

interface Task {
  id: string;
  name: string;
  done: boolean;
}

function board(tasks: Task[]) {
  let state = tasks;
  const messages: string[] = [];
  const toggle = (id: string, request: () => Promise<unknown>) => {
    const before = state.find((t) => t.id === id) as Task;
    return optimistic({
      apply: () => (state = replaceById(state, id, { done: !before.done })),
      revert: () => (state = replaceById(state, id, before)),
      request,
      onRefused: (message) => messages.push(message),
    });
  };
  return { toggle, state: () => state, messages };
}

describe('optimistic updates', () => {
  const tasks = [
    { id: 'a', name: 'milk', done: false },
    { id: 'b', name: 'eggs', done: false },
  ];

  it('shows the change before the API answers, and keeps it when the API agrees', async () => {
    const b = board(tasks);
    let answer: () => void = () => {};
    const pending = b.toggle('a', () => new Promise<void>((resolve) => (answer = resolve)));
    expect(b.state()[0]?.done).toBe(true);
    answer();
    expect(await pending).toBe(true);
    expect(b.state()[0]?.done).toBe(true);
    expect(b.messages).toEqual([]);
  });

  it('rolls the change back and says why when the API refuses', async () => {
    const b = board(tasks);
    expect(await b.toggle('a', () => Promise.reject(new Error('task a not found')))).toBe(false);
    expect(b.state()).toEqual(tasks);
    expect(b.messages).toEqual(['task a not found']);
  });

  it('rolls back only the refused item, keeping changes made meanwhile to others', async () => {
    const b = board(tasks);
    let refuse: (e: Error) => void = () => {};
    const first = b.toggle('a', () => new Promise((_, reject) => (refuse = reject)));
    await b.toggle('b', async () => undefined);
    refuse(new Error('nope'));
    await first;
    expect(b.state()).toEqual([
      { id: 'a', name: 'milk', done: false },
      { id: 'b', name: 'eggs', done: true },
    ]);
  });
});
