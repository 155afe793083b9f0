import * as z from 'zod/mini';
import { NotFoundError } from '../../shared/errors.js';
import type { FeedPublisher } from '../../shared/log-feed/event.js';
import type { user } from '../contract.js';

/** How a deletion began: through the API, or found by the sweep (the account was removed outside the API). */
export const deletionOrigin = z.enum(['api', 'directory']);
export type DeletionOrigin = z.infer<typeof deletionOrigin>;

/** The mark on a profile being deleted: since when, and how it began. */
export interface DeletionMark {
  deletingSince: string;
  deletingVia: DeletionOrigin;
}

/** A user as stored: with the mark of a deletion under way, if one is. */
export type Profile = z.infer<typeof user> & Partial<DeletionMark>;

/** The delayed message that has a marked profile's data erased; `attempt` counts the looks so far. */
export const eraseMessage = z.object({
  userId: z.string(),
  via: deletionOrigin,
  attempt: z.number().check(z.int(), z.gte(0)),
});
export type EraseMessage = z.infer<typeof eraseMessage>;

/** The feed event announcing that a person's data is gone (for admins: it names the user by id only). */
export const USER_REMOVED = 'user.removed';

/** What the deletion needs of the profiles table. */
export interface DeletionStore {
  get(id: string): Promise<Profile | undefined>;
  /**
   * Marks the profile deleting (keeping an earlier mark's time and origin,
   * unless `renew`); undefined when there is no profile.
   */
  markDeleting(id: string, mark: DeletionMark, renew?: boolean): Promise<Profile | undefined>;
  remove(id: string): Promise<boolean>;
  /** Every profile, marks included, read `pageSize` at a time: for the service's own sweep (no cursor leaves it). */
  every(pageSize: number): AsyncIterable<Profile[]>;
}

/** The accounts behind profiles (Cognito in production). */
export interface AccountsOfDeletion {
  /** Removes the account: true if it existed until now, false if it was already gone. */
  remove(userId: string): Promise<boolean>;
  /** Whether the account exists now. */
  exists(userId: string): Promise<boolean>;
  /** Every account's id, a page at a time. */
  ids(): AsyncIterable<string[]>;
}

/** The queue of delayed erasures (a queue of the users service, consumed by its own function). */
export interface EraseQueue {
  eraseLater(message: EraseMessage, delaySeconds: number): Promise<void>;
}

/** What a deletion asks of the bookings service (over RPC in production). */
export interface BookingsOfDeletion {
  /**
   * Closes the person's account to new bookings: every create after this
   * answer is refused, and every create let in before has ended
   * LONGEST_CREATE_SECONDS later (see ERASE_AFTER_SECONDS). Again is harmless.
   */
  closeForUser(userId: string): Promise<unknown>;
}

/** What starting a deletion and the sweep need. */
export interface DeletionDeps {
  store: DeletionStore;
  accounts: AccountsOfDeletion;
  queue: EraseQueue;
  bookings: BookingsOfDeletion;
  now: () => Date;
  timing: {
    /** How long after the mark the erasure runs (see ERASE_AFTER_SECONDS in ../timing.ts). */
    eraseAfterSeconds: number;
    /** A deletion marked longer ago and not finished is started again by the sweep. */
    resumeAfterMs: number;
    sweepPageSize: number;
  };
}

/** What the delayed erasure needs besides. */
export interface ErasureDeps extends Pick<DeletionDeps, 'store' | 'accounts' | 'queue'> {
  /**
   * The bookings service over RPC: closes the person's account to bookings,
   * and cancels and erases their bookings, answering how many still give seats back.
   */
  bookings: BookingsOfDeletion & { eraseForUser(userId: string): Promise<{ remaining: number }> };
  /** The tasks service over RPC. */
  tasks: { eraseForUser(userId: string): Promise<unknown> };
  feed: FeedPublisher;
  log: { info(message: string, data: Record<string, unknown>): void };
  timing: {
    eraseAfterSeconds: number;
    /** How long to wait before looking again at bookings still giving seats back. */
    retryAfterSeconds: number;
    /** Looks after which the erasure gives up (its message goes to the DLQ). */
    maxAttempts: number;
  };
}

/**
 * A person's deletion, one ordered operation whichever way it began:
 *
 * 1. the profile is marked deleting: the users service then answers
 *    NotFound for it to every reader;
 * 2. the bookings service closes the account to bookings (over RPC): every
 *    booking create for the person is refused from then on, although the
 *    authorizer may still let their token in for a few seconds (bookings
 *    does not ask the users service on a booking's path);
 * 3. the account is removed: no new token, and the authorizer refuses the
 *    old ones once its cached decision expires;
 * 4. after ERASE_AFTER_SECONDS (../timing.ts; a delayed message on the
 *    service's own queue), when no create or task request let in before can
 *    still run ({@link accountErasure}): the bookings are cancelled (seats
 *    back) and erased, then the tasks, then the profile, and `user.removed`
 *    is published.
 */
export function accountDeletion(deps: DeletionDeps) {
  const { store, accounts, queue, timing } = deps;

  async function start(userId: string, via: DeletionOrigin): Promise<Profile> {
    const marked = await store.markDeleting(userId, {
      deletingSince: deps.now().toISOString(),
      deletingVia: via,
    });
    if (!marked) throw new NotFoundError(`user ${userId} not found`);
    // Closed before the erasure is queued, so that its delay also waits out every create let in before.
    await deps.bookings.closeForUser(userId);
    // Queued before the account goes: a failure here leaves a person who can still ask again.
    await queue.eraseLater({ userId, via, attempt: 0 }, timing.eraseAfterSeconds);
    await accounts.remove(userId);
    return marked;
  }

  return {
    /** Begins a deletion (marks, queues the erasure, removes the account); again on a marked profile is harmless. */
    start,

    /**
     * Compares the profiles with the accounts: a profile whose account is
     * gone (removed outside the API, e.g. Cognito's DeleteUser with an access
     * token) is deleted like any other; a deletion marked long ago and never
     * finished (its message lost) is started again. Reads every account id
     * first, then the profiles page by page, and asks about each missing
     * account once more before acting, so a person who signed up during the
     * sweep is never taken for gone.
     */
    async sweep(): Promise<{ profiles: number; removed: string[]; resumed: string[] }> {
      const known = new Set<string>();
      for await (const ids of accounts.ids()) for (const id of ids) known.add(id);
      const removed: string[] = [];
      const resumed: string[] = [];
      const staleBefore = new Date(deps.now().getTime() - timing.resumeAfterMs).toISOString();
      let profiles = 0;
      for await (const page of store.every(timing.sweepPageSize)) {
        profiles += page.length;
        for (const profile of page) {
          if (profile.deletingSince) {
            if (profile.deletingSince < staleBefore) {
              // Renewed, so that the next sweeps leave this new attempt alone for as long.
              const mark = {
                deletingSince: deps.now().toISOString(),
                deletingVia: profile.deletingVia ?? 'api',
              };
              await store.markDeleting(profile.id, mark, true);
              await queue.eraseLater({ userId: profile.id, via: mark.deletingVia, attempt: 0 }, 0);
              resumed.push(profile.id);
            }
          } else if (!known.has(profile.id) && !(await accounts.exists(profile.id))) {
            await start(profile.id, 'directory').catch((error: unknown) => {
              if (!(error instanceof NotFoundError)) throw error;
            });
            removed.push(profile.id);
          }
        }
      }
      return { profiles, removed, resumed };
    },
  };
}

/**
 * The delayed step of a deletion (see {@link accountDeletion}): erases what
 * the person left, in order, once nothing of theirs can still be running.
 */
export function accountErasure(deps: ErasureDeps) {
  const { store, accounts, queue, timing } = deps;
  return {
    /**
     * Erases bookings, tasks and profile, then publishes `user.removed`. Looks again later while bookings are
     * still giving seats back; starts the wait over if the account was still
     * there (its removal had failed), since its tokens worked until now.
     * Every look closes the account to bookings again: that renews the close,
     * and closes it if the start failed before doing so (the account, still
     * there then, makes this look wait).
     */
    async erase(message: EraseMessage): Promise<'erased' | 'waiting' | 'nothing to do'> {
      const { userId, via } = message;
      const profile = await store.get(userId);
      if (!profile?.deletingSince) return 'nothing to do';
      const next = { ...message, attempt: message.attempt + 1 };
      if (next.attempt > timing.maxAttempts)
        throw new Error(`the deletion of ${userId} did not finish after ${timing.maxAttempts} looks`);
      await deps.bookings.closeForUser(userId);
      if (await accounts.remove(userId)) {
        await queue.eraseLater(next, timing.eraseAfterSeconds);
        return 'waiting';
      }
      const { remaining } = await deps.bookings.eraseForUser(userId);
      if (remaining > 0) {
        await queue.eraseLater(next, timing.retryAfterSeconds);
        return 'waiting';
      }
      await deps.tasks.eraseForUser(userId);
      await store.remove(userId);
      await deps.feed.publish({ type: USER_REMOVED, data: { userId, via } });
      deps.log.info('user removed', { userId, via });
      return 'erased';
    },
  };
}
