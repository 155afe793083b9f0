import type { Caller, Role } from '../caller.js';
import { UnauthorizedError } from '../errors.js';

/** The Cognito group whose members are admins. Granted only by `npm run admin`, never through the API. */
export const ADMIN_GROUP = 'admin';

/**
 * How long the REST API keeps an authorizer decision per token: a revoked
 * admin, or a deleted account, stops working at most this long after the
 * change (lib/http-api.ts sets it; account deletion waits it out).
 */
export const AUTHORIZER_CACHE_SECONDS = 15;

/** Port to the user directory's current state (Cognito in production, a fake in unit tests). */
export interface Directory {
  /** The groups a user belongs to now; `undefined` when the account no longer exists. */
  groupsOf(userId: string): Promise<string[] | undefined>;
}

/**
 * The role of a verified user, read from the directory rather than the token:
 * a revoked admin or a deleted account stops working when the authorizer's
 * cached decision expires, not when the token does.
 */
export async function roleOf(directory: Directory, userId: string): Promise<Role> {
  const groups = await directory.groupsOf(userId);
  if (!groups) throw new UnauthorizedError('this account no longer exists');
  return groups.includes(ADMIN_GROUP) ? 'admin' : 'user';
}

/**
 * Who holds a credential, as every authorizer asks it: the subject the token
 * verifier vouches for, and the role the directory gives them now.
 */
export function callerVerifier(subjectOf: (credential: string) => Promise<string>, directory: Directory) {
  return async (credential: string): Promise<Caller> => {
    const userId = await subjectOf(credential);
    return { userId, role: await roleOf(directory, userId) };
  };
}
