/** The role of a signed-in person: every signed-in person is a `user`; members of the admin group are `admin`. */
export type Role = 'user' | 'admin';

/** Who is calling, as verified by the token authorizer and nothing else. */
export interface Caller {
  userId: string;
  role: Role;
}

/** True when `caller` may see or change something that belongs to `ownerId`. */
export const mayAccess = (caller: Caller, ownerId: string): boolean =>
  caller.role === 'admin' || caller.userId === ownerId;

/**
 * The caller an authorizer put in API Gateway's request context
 * (`requestContext.authorizer`), or undefined when it holds no user id or an
 * unknown role: the one reading of it, for REST routes and the live feed.
 */
export function callerFromAuthorizer(context: unknown): Caller | undefined {
  const { userId, role } = (context ?? {}) as Record<string, unknown>;
  if (typeof userId !== 'string' || userId === '' || (role !== 'user' && role !== 'admin')) return undefined;
  return { userId, role };
}
