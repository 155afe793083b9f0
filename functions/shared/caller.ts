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
