/**
 * Whether a live-feed connection may still receive: its rights are checked
 * when the feed delivers, not only at `$connect`. Pure: no AWS imports; the
 * user directory is a port.
 */
import type { Caller, Role } from '../../shared/caller.js';
import { currentRole, type Directory } from '../../shared/identity/roles.js';

/** Who a connection was opened for, and until when their access token is valid. */
export interface Holder extends Caller {
  /** Epoch seconds the access token the connection was opened with expires at. */
  tokenExpiresAt: number;
}

/** What the directory says of a person now: their role, or that the account is gone. */
export type Standing = Role | 'gone';

/** Why a connection may no longer receive, and is closed. */
export type Revocation = 'token expired' | 'account deleted' | 'role changed';

/** Port: a person's standing, as recent as the rights cache allows. */
export interface Standings {
  of(userId: string): Promise<Standing>;
}

/**
 * Why `listener` may no longer receive at `nowSeconds`, or `undefined` if it
 * still may: its access token has expired, its account is gone, or its role
 * is no longer the one it connected with (a revoked admin must not keep
 * admin's view; a new admin reconnects to get it). The expiry is checked
 * first, so an expired connection costs no directory read.
 */
export async function revocationOf(
  listener: Holder,
  standings: Standings,
  nowSeconds: number,
): Promise<Revocation | undefined> {
  if (listener.tokenExpiresAt <= nowSeconds) return 'token expired';
  const standing = await standings.of(listener.userId);
  if (standing === 'gone') return 'account deleted';
  if (standing !== listener.role) return 'role changed';
  return undefined;
}

/** Entries kept before expired ones are swept from the cache. */
const SWEEP_ABOVE = 1_000;

/**
 * Standings read from the directory and reused for at most `ttlMs` (counted
 * from before the read), per user: the same bound the REST authorizer's
 * decision cache has. Lookups of one person at once share one read. A failed
 * read is not kept; it fails the delivery, which is then retried.
 */
export function cachedStandings(directory: Directory, ttlMs: number, now: () => number): Standings {
  const cache = new Map<string, { standing: Promise<Standing>; until: number }>();
  return {
    of(userId) {
      const asked = now();
      const hit = cache.get(userId);
      if (hit && hit.until > asked) return hit.standing;
      if (cache.size >= SWEEP_ABOVE) {
        for (const [id, entry] of cache) if (entry.until <= asked) cache.delete(id);
      }
      const standing = currentRole(directory, userId).then((role) => role ?? ('gone' as const));
      const entry = { standing, until: asked + ttlMs };
      cache.set(userId, entry);
      standing.catch(() => {
        if (cache.get(userId) === entry) cache.delete(userId);
      });
      return standing;
    },
  };
}
