import { describe, expect, it } from 'vitest';
import { callerFromAuthorizer, mayAccess } from '../../../functions/shared/caller.js';

describe('callerFromAuthorizer', () => {
  it('reads the user id and role the authorizer put in the request context', () => {
    expect(callerFromAuthorizer({ userId: 'u-1', role: 'user', principalId: 'u-1' })).toEqual({
      userId: 'u-1',
      role: 'user',
    });
    expect(callerFromAuthorizer({ userId: 'a-1', role: 'admin' })).toEqual({ userId: 'a-1', role: 'admin' });
  });

  it.each([
    ['no context', undefined],
    ['no user id', { role: 'user' }],
    ['an empty user id', { userId: '', role: 'user' }],
    ['a role it does not know', { userId: 'u-1', role: 'owner' }],
    ['no role', { userId: 'u-1' }],
  ])('refuses %s rather than guessing a role', (_what, context) => {
    expect(callerFromAuthorizer(context)).toBeUndefined();
  });
});

describe('mayAccess', () => {
  it('lets owners and admins in, nobody else', () => {
    expect(mayAccess({ userId: 'u-1', role: 'user' }, 'u-1')).toBe(true);
    expect(mayAccess({ userId: 'u-2', role: 'user' }, 'u-1')).toBe(false);
    expect(mayAccess({ userId: 'a-1', role: 'admin' }, 'u-1')).toBe(true);
  });
});
