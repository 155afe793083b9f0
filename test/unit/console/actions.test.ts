import { describe, expect, it } from 'vitest';
import { Action, type ActionState } from '../../../functions/console/app/actions.js';

/** An action whose requests the test answers one at a time, recording the key of each. */
function world() {
  const keys: string[] = [];
  const answers: Array<{ resolve: (v: string) => void; reject: (e: unknown) => void }> = [];
  const states: ActionState[] = [];
  let n = 0;
  const action = new Action<[string], string>(
    (key, what) => {
      keys.push(key);
      return new Promise((resolve, reject) => answers.push({ resolve: () => resolve(what), reject }));
    },
    (state) => states.push(state),
    () => `key-${++n}`,
  );
  return { action, keys, answers, states };
}

describe('a user action', () => {
  it('acts once on a double click: the second start while the first runs sends nothing', async () => {
    const { action, keys, answers } = world();
    const first = action.start('book');
    const second = action.start('book');
    expect(keys).toEqual(['key-1']);
    answers[0]?.resolve('');
    expect(await first).toBe('book');
    expect(await second).toBeUndefined();
    expect(action.state).toEqual({ busy: false, error: undefined });
  });

  it('is busy while its request runs', async () => {
    const { action, answers, states } = world();
    const run = action.start('add');
    expect(states.at(-1)).toEqual({ busy: true, error: undefined });
    answers[0]?.resolve('');
    await run;
    expect(states.at(-1)).toEqual({ busy: false, error: undefined });
  });

  it('retries a failed action with the same key, and a new action gets a new key', async () => {
    const { action, keys, answers } = world();
    const failing = action.start('book');
    answers[0]?.reject(new Error('502'));
    await failing;
    expect(action.state.error).toEqual(new Error('502'));
    const retried = action.retry();
    expect(action.state).toEqual({ busy: true, error: undefined });
    answers[1]?.resolve('');
    expect(await retried).toBe('book');
    const next = action.start('book');
    answers[2]?.resolve('');
    await next;
    expect(keys).toEqual(['key-1', 'key-1', 'key-2']);
  });

  it('forgets a failure once dismissed, and retries nothing before a first start', async () => {
    const { action, keys, answers } = world();
    expect(await action.retry()).toBeUndefined();
    const failing = action.start('x');
    answers[0]?.reject(new Error('no'));
    await failing;
    action.dismiss();
    expect(action.state).toEqual({ busy: false, error: undefined });
    expect(keys).toEqual(['key-1']);
  });
});
