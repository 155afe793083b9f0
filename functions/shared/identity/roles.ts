import type { Caller, Role } from '../caller.js';
import { UnauthorizedError } from '../errors.js';

/** The Cognito group whose members are admins. Granted only by `npm run admin`, never through the API. */
export const ADMIN_GROUP = 'admin';

/**
 * The longest a decision about a person's rights is reused: the REST
 * authorizer's result cache, and the live feed's per-delivery checks. A
 * revoked admin or a deleted account keeps its rights at most this long.
 */
export const RIGHTS_CACHE_SECONDS = 15;

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
  const role = await currentRole(directory, userId);
  if (!role) throw new UnauthorizedError('this account no longer exists');
  return role;
}

/** The role the directory gives a user now, or `undefined` when the account no longer exists. */
export async function currentRole(directory: Directory, userId: string): Promise<Role | undefined> {
  const groups = await directory.groupsOf(userId);
  if (!groups) return undefined;
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
