/**
 * One user action (Book, Add, Delete…) as the console runs it: it acts once
 * however fast the person clicks (a click while it runs is ignored, before
 * any re-render could disable the button), it carries one `Idempotency-Key`
 * made when the person acted, and Retry sends that same key again, so the
 * API acts at most once for the action whatever got through. Pure of the DOM
 * and of preact: `useAction` in components.ts binds it to a component.
 */
import { newIdempotencyKey } from './api.js';

export interface ActionState<E = unknown> {
  /** The request is running. */
  busy: boolean;
  /** Why the last run failed; cleared when a run starts. */
  error: E | undefined;
}

/** Runs `run(key, ...args)`, one run at a time, reporting each change of state. */
export class Action<A extends unknown[], T> {
  private running = false;
  private key: string | undefined;
  private lastArgs: A | undefined;
  state: ActionState = { busy: false, error: undefined };

  constructor(
    private readonly run: (key: string, ...args: A) => Promise<T>,
    private readonly onState: (state: ActionState) => void,
    private readonly newKey: () => string = newIdempotencyKey,
  ) {}

  /** The person acted: a fresh key. Ignored (undefined) while a run is under way. */
  start(...args: A): Promise<T | undefined> {
    if (this.running) return Promise.resolve(undefined);
    this.key = this.newKey();
    this.lastArgs = args;
    return this.go(this.key, args);
  }

  /** Tries the last action again with its key (after a failure); ignored while a run is under way. */
  retry(): Promise<T | undefined> {
    if (this.running || this.key === undefined || this.lastArgs === undefined)
      return Promise.resolve(undefined);
    return this.go(this.key, this.lastArgs);
  }

  /** Forgets the failure (the person dismissed it). */
  dismiss(): void {
    this.set({ busy: this.running, error: undefined });
  }

  private async go(key: string, args: A): Promise<T | undefined> {
    this.running = true;
    this.set({ busy: true, error: undefined });
    let result: T | undefined;
    let error: unknown;
    try {
      result = await this.run(key, ...args);
    } catch (failure) {
      error = failure ?? new Error('failed');
    }
    this.running = false;
    this.set({ busy: false, error });
    return result;
  }

  private set(state: ActionState): void {
    this.state = state;
    this.onState(state);
  }
}
