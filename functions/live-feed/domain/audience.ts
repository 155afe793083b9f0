/**
 * Who may see which log-feed event on the live feed: deny by default. Pure:
 * no AWS imports.
 */
import type { Caller } from '../../shared/caller.js';
import type { FeedMessage } from '../../shared/log-feed/event.js';

/**
 * The event types every signed-in person may see although they name no one:
 * the one place a type is made public. None is: downcase responses carry text
 * from anyone on the internet, and `log.error`, `booking.repaired` and the
 * like are operators' business.
 */
export const PUBLIC_EVENT_TYPES: ReadonlySet<string> = new Set<string>();

/** The user a message is about (`data.userId`), if it names one. */
export function userNamedBy(message: FeedMessage): string | undefined {
  const data = message.data;
  if (typeof data === 'object' && data !== null && 'userId' in data && typeof data.userId === 'string') {
    return data.userId;
  }
  return undefined;
}

/**
 * Admins see every event; anyone else sees the events that name them
 * (`data.userId`: their tasks, their own downcase requests) and the
 * {@link PUBLIC_EVENT_TYPES}, nothing else.
 */
export function mayReceive(
  listener: Caller,
  message: FeedMessage,
  publicTypes: ReadonlySet<string> = PUBLIC_EVENT_TYPES,
): boolean {
  if (listener.role === 'admin') return true;
  const named = userNamedBy(message);
  return named === undefined ? publicTypes.has(message.type) : named === listener.userId;
}
