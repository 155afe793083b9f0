/**
 * The live feed's connections and what the broadcaster does with them. Pure:
 * no AWS imports; storage, delivery and the user directory are ports.
 */
import { callerFromAuthorizer } from '../../shared/caller.js';
import type { FeedMessage } from '../../shared/log-feed/event.js';
import { mayReceive } from './audience.js';
import { type Holder, type Revocation, revocationOf, type Standings } from './rights.js';

/** One open WebSocket connection, the person it was opened for, and when their token expires. */
export interface Listener extends Holder {
  connectionId: string;
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
export interface ConnectionsApi {
  post(connectionId: string, data: string): Promise<Delivery>;
  /** Closes the connection; one already gone is not an error. */
  close(connectionId: string): Promise<void>;
}

/**
 * API Gateway closes a WebSocket connection after 2 hours at most; a stored
 * connection older than that is certainly gone, so the table's TTL drops it
 * even if `$disconnect` never ran.
 */
export const MAX_CONNECTION_SECONDS = 2 * 60 * 60;

/**
 * Who a connection is for, as the `$connect` authorizer put it in the request
 * context: the caller and their token's expiry (a number, or its decimal
 * string, as API Gateway may hand context values over), or `undefined` if
 * either is missing.
 */
export function holderFromAuthorizer(context: unknown): Holder | undefined {
  const caller = callerFromAuthorizer(context);
  const expiry = (context as { tokenExpiresAt?: unknown } | null | undefined)?.tokenExpiresAt;
  const tokenExpiresAt =
    typeof expiry === 'number'
      ? expiry
      : typeof expiry === 'string' && /^\d+$/.test(expiry)
        ? Number(expiry)
        : NaN;
  if (!caller || !Number.isSafeInteger(tokenExpiresAt)) return undefined;
  return { ...caller, tokenExpiresAt };
}

/** Records a new connection, to expire when API Gateway would have closed it anyway. */
export async function connect(store: ListenerStore, listener: Listener, now: Date): Promise<void> {
  await store.put({ ...listener, expiresAt: Math.floor(now.getTime() / 1000) + MAX_CONNECTION_SECONDS });
}

/** A connection closed because its holder's rights ended. */
export interface Closed {
  connectionId: string;
  userId: string;
  reason: Revocation;
}

export interface BroadcastResult {
  sent: number;
  /** Connections found gone and removed from the table. */
  removed: number;
  /** Connections whose rights had ended: closed and removed, sent nothing. */
  closed: Closed[];
}

export interface BroadcastDeps {
  store: ListenerStore;
  connections: ConnectionsApi;
  standings: Standings;
  now: Date;
}

/**
 * Checks every connection's rights (token expiry, account, role; see
 * {@link revocationOf}), closes those whose rights ended, then posts each
 * message, in order, to every remaining connection allowed to receive it
 * ({@link mayReceive}). A connection that answers "gone" is removed from the
 * table and receives nothing more in this batch.
 */
export async function broadcast(
  messages: readonly FeedMessage[],
  { store, connections, standings, now }: BroadcastDeps,
): Promise<BroadcastResult> {
  const nowSeconds = Math.floor(now.getTime() / 1000);
  const checked = await Promise.all(
    (await store.all()).map(async (listener) => ({
      listener,
      revoked: await revocationOf(listener, standings, nowSeconds),
    })),
  );
  const closed: Closed[] = [];
  let listeners: Listener[] = [];
  for (const { listener, revoked } of checked) {
    if (revoked)
      closed.push({ connectionId: listener.connectionId, userId: listener.userId, reason: revoked });
    else listeners.push(listener);
  }
  await Promise.all(
    closed.map(async ({ connectionId }) => {
      await connections.close(connectionId);
      await store.remove(connectionId);
    }),
  );

  let sent = 0;
  let removed = 0;
  for (const message of messages) {
    const data = JSON.stringify(message);
    const targets = listeners.filter((listener) => mayReceive(listener, message));
    const outcomes = await Promise.all(
      targets.map(async (listener) => ({
        listener,
        delivery: await connections.post(listener.connectionId, data),
      })),
    );
    const gone = new Set<string>();
    for (const { listener, delivery } of outcomes) {
      if (delivery === 'sent') sent += 1;
      else gone.add(listener.connectionId);
    }
    if (gone.size > 0) {
      await Promise.all([...gone].map((connectionId) => store.remove(connectionId)));
      removed += gone.size;
      listeners = listeners.filter((listener) => !gone.has(listener.connectionId));
    }
  }
  return { sent, removed, closed };
}
