/**
 * Who receives which log-feed message over the live WebSocket feed. Pure: no
 * AWS imports; storage and delivery are ports.
 */
import { mayAccess, type Role } from '../../shared/caller.js';
import type { FeedMessage } from '../../shared/log-feed/event.js';

/** One open WebSocket connection and the person it was opened for. */
export interface Listener {
  connectionId: string;
  userId: string;
  role: Role;
}

/** A connection as stored: with the time after which the table's TTL may drop it. */
export interface StoredListener extends Listener {
  /** Epoch seconds. */
  expiresAt: number;
}

/** Port to the connections table. */
export interface ListenerStore {
  put(listener: StoredListener): Promise<void>;
  remove(connectionId: string): Promise<void>;
  all(): Promise<Listener[]>;
}

/** What happened to one post: delivered, or the connection is gone (closed, expired). */
export type Delivery = 'sent' | 'gone';

/** Port to API Gateway's `@connections` API. */
export interface ConnectionPoster {
  post(connectionId: string, data: string): Promise<Delivery>;
}

/**
 * API Gateway closes a WebSocket connection after 2 hours at most; a stored
 * connection older than that is certainly gone, so the table's TTL drops it
 * even if `$disconnect` never ran.
 */
export const MAX_CONNECTION_SECONDS = 2 * 60 * 60;

/** The user a message is about (`data.userId`), if it names one. */
export function userNamedBy(message: FeedMessage): string | undefined {
  const data = message.data;
  if (typeof data === 'object' && data !== null && 'userId' in data && typeof data.userId === 'string') {
    return data.userId;
  }
  return undefined;
}

/**
 * Events that name a user reach only that user and admins; events that name
 * no one (downcase, search) reach every signed-in person.
 */
export function mayReceive(listener: Listener, message: FeedMessage): boolean {
  const named = userNamedBy(message);
  return named === undefined || mayAccess(listener, named);
}

/** Records a new connection, to expire when API Gateway would have closed it anyway. */
export async function connect(store: ListenerStore, listener: Listener, now: Date): Promise<void> {
  await store.put({ ...listener, expiresAt: Math.floor(now.getTime() / 1000) + MAX_CONNECTION_SECONDS });
}

export interface BroadcastResult {
  sent: number;
  /** Connections found gone and removed from the table. */
  removed: number;
}

/**
 * Posts each message, in order, to every listener allowed to receive it.
 * A connection that answers "gone" is removed from the table and receives
 * nothing more in this batch.
 */
export async function broadcast(
  messages: readonly FeedMessage[],
  deps: { store: ListenerStore; poster: ConnectionPoster },
): Promise<BroadcastResult> {
  let listeners = await deps.store.all();
  let sent = 0;
  let removed = 0;
  for (const message of messages) {
    const data = JSON.stringify(message);
    const targets = listeners.filter((listener) => mayReceive(listener, message));
    const outcomes = await Promise.all(
      targets.map(async (listener) => ({
        listener,
        delivery: await deps.poster.post(listener.connectionId, data),
      })),
    );
    const gone = new Set<string>();
    for (const { listener, delivery } of outcomes) {
      if (delivery === 'sent') sent += 1;
      else gone.add(listener.connectionId);
    }
    if (gone.size > 0) {
      await Promise.all([...gone].map((connectionId) => deps.store.remove(connectionId)));
      removed += gone.size;
      listeners = listeners.filter((listener) => !gone.has(listener.connectionId));
    }
  }
  return { sent, removed };
}
