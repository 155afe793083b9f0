import { describe, expect, it } from 'vitest';
import {
  type IdentityProvider,
  logIn,
  type Profile,
  signUp,
} from '../../../functions/auth/domain/identity.js';
import { DeadlineExceededError, UnauthorizedError } from '../../../functions/shared/errors.js';
import { roleOf } from '../../../functions/shared/identity/roles.js';
import { memoryLoginAttempts } from '../../support/memory-login-attempts.js';

/** An in-memory directory and users service, recording what happened. */
function world(options: { profilesDown?: boolean; deleteFails?: boolean } = {}) {
  const accounts = new Map<string, string>();
  const profiles = new Map<string, Profile>();
  const compensationFailures: string[] = [];
  let n = 0;
  const provider: IdentityProvider = {
    signUp: async (email) => {
      const userId = `sub-${++n}`;
      accounts.set(userId, email);
      return { userId };
    },
    logIn: async (email) => {
      const userId = [...accounts].find(([, e]) => e === email)?.[0];
      if (!userId) throw new UnauthorizedError('wrong email or password');
      return {
        userId,
        tokens: { accessToken: 'a', idToken: 'i', refreshToken: 'r', expiresIn: 3600, tokenType: 'Bearer' },
      };
    },
    deleteUser: async (userId) => {
      if (options.deleteFails) throw new Error('cognito unavailable');
      accounts.delete(userId);
    },
    refresh: async () => ({ accessToken: 'a2', idToken: 'i2', expiresIn: 3600, tokenType: 'Bearer' }),
    revoke: async () => {},
  };
  const deps = {
    provider,
    attempts: memoryLoginAttempts(),
    now: () => 0,
    profiles: {
      ensure: async (profile: Profile) => {
        if (options.profilesDown) throw new DeadlineExceededError('users did not answer');
        if (!profiles.has(profile.id)) profiles.set(profile.id, profile);
      },
    },
    onCompensationFailure: (userId: string) => void compensationFailures.push(userId),
  };
  return { deps, accounts, profiles, compensationFailures };
}

describe('one identity', () => {
  it('creates the profile with the identity’s id, the given name and the normalized email', async () => {
    const { deps, profiles } = world();
    const created = await signUp(deps, { email: 'Ann@Example.com', password: 'x', name: 'Ann Lee' });
    expect(created).toEqual({ userId: 'sub-1', email: 'ann@example.com', name: 'Ann Lee' });
    expect(profiles.get('sub-1')).toEqual({ id: 'sub-1', email: 'ann@example.com', name: 'Ann Lee' });
  });

  it('names a person after their email when they give no name', async () => {
    const { deps, profiles } = world();
    await signUp(deps, { email: 'bob.smith@example.com', password: 'x' });
    expect(profiles.get('sub-1')?.name).toBe('bob.smith');
  });

  it('removes the account again when the profile cannot be created, so neither half remains', async () => {
    const { deps, accounts, profiles } = world({ profilesDown: true });
    await expect(signUp(deps, { email: 'a@b.io', password: 'x' })).rejects.toBeInstanceOf(
      DeadlineExceededError,
    );
    expect(accounts.size).toBe(0);
    expect(profiles.size).toBe(0);
  });

  it('reports a failed compensation, and the next login creates the missing profile', async () => {
    const half = world({ profilesDown: true, deleteFails: true });
    await expect(signUp(half.deps, { email: 'a@b.io', password: 'x' })).rejects.toThrow();
    expect(half.compensationFailures).toEqual(['sub-1']);
    expect(half.accounts.get('sub-1')).toBe('a@b.io');

    // The users service is back.
    const profiles = new Map<string, Profile>();
    const ensure = async (profile: Profile) => void profiles.set(profile.id, profile);
    await logIn({ ...half.deps, profiles: { ensure } }, { email: 'A@b.io', password: 'x' });
    expect(profiles.get('sub-1')).toEqual({ id: 'sub-1', email: 'a@b.io', name: 'a' });
  });

  it('keeps an existing profile as it is on login', async () => {
    const { deps, profiles } = world();
    await signUp(deps, { email: 'a@b.io', password: 'x', name: 'Chosen' });
    await logIn(deps, { email: 'a@b.io', password: 'x' });
    expect(profiles.get('sub-1')?.name).toBe('Chosen');
  });
});

describe('roles', () => {
  const directory = (groups: Record<string, string[]>) => ({
    groupsOf: async (userId: string) => groups[userId],
  });

  it('makes members of the admin group admins and everyone else a user', async () => {
    const groups = directory({ ann: ['admin'], bob: [], cid: ['other'] });
    expect(await roleOf(groups, 'ann')).toBe('admin');
    expect(await roleOf(groups, 'bob')).toBe('user');
    expect(await roleOf(groups, 'cid')).toBe('user');
  });

  it('refuses a token whose account was deleted', async () => {
    await expect(roleOf(directory({}), 'gone')).rejects.toBeInstanceOf(UnauthorizedError);
  });
});
