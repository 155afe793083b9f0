import { describe, expect, it } from 'vitest';
import {
  cachedStandings,
  type Holder,
  revocationOf,
  type Standings,
} from '../../../functions/live-feed/domain/rights.js';
import type { Directory } from '../../../functions/shared/identity/roles.js';

const NOW = 1_800_000_000;
const boss: Holder = { userId: 'boss', role: 'admin', tokenExpiresAt: NOW + 600 };
const ann: Holder = { userId: 'ann', role: 'user', tokenExpiresAt: NOW + 600 };

/** A directory whose state the test changes, counting reads. */
function directory(initial: Record<string, string[]>) {
  const groups = new Map(Object.entries(initial));
  let reads = 0;
  const port: Directory = {
    groupsOf: async (userId) => {
      reads += 1;
      return groups.get(userId);
    },
  };
  return { port, groups, reads: () => reads };
}

const fixed = (standing: Awaited<ReturnType<Standings['of']>>): Standings => ({ of: async () => standing });

describe('whether a connection may still receive', () => {
  it('allows a connection whose token is valid and whose role is unchanged', async () => {
    expect(await revocationOf(boss, fixed('admin'), NOW)).toBeUndefined();
    expect(await revocationOf(ann, fixed('user'), NOW)).toBeUndefined();
  });

  it('revokes a connection from the second its token expires, without reading the directory', async () => {
    const unread: Standings = { of: () => Promise.reject(new Error('read the directory')) };
    expect(await revocationOf({ ...ann, tokenExpiresAt: NOW }, unread, NOW)).toBe('token expired');
    expect(await revocationOf({ ...ann, tokenExpiresAt: NOW + 1 }, fixed('user'), NOW)).toBeUndefined();
  });

  it('revokes a connection whose account was deleted', async () => {
    expect(await revocationOf(boss, fixed('gone'), NOW)).toBe('account deleted');
  });

  it('revokes an admin connection once the admin role is revoked', async () => {
    expect(await revocationOf(boss, fixed('user'), NOW)).toBe('role changed');
  });

  it('revokes a user connection once the user becomes admin (they reconnect to get the admin view)', async () => {
    expect(await revocationOf(ann, fixed('admin'), NOW)).toBe('role changed');
  });
});

describe('standings read from the directory', () => {
  const TTL = 15_000;

  it('reads a role from the groups, and a missing account as gone', async () => {
    const dir = directory({ boss: ['admin'], ann: ['staff'] });
    const standings = cachedStandings(dir.port, TTL, () => 0);
    expect(await standings.of('boss')).toBe('admin');
    expect(await standings.of('ann')).toBe('user');
    expect(await standings.of('nobody')).toBe('gone');
  });

  it('reuses a read for at most the TTL, then sees a revoked admin and a deleted account', async () => {
    const dir = directory({ boss: ['admin'], ann: [] });
    let clock = 0;
    const standings = cachedStandings(dir.port, TTL, () => clock);
    expect(await standings.of('boss')).toBe('admin');
    expect(await standings.of('ann')).toBe('user');
    dir.groups.set('boss', []);
    dir.groups.delete('ann');
    clock = TTL - 1;
    expect(await standings.of('boss')).toBe('admin');
    expect(await standings.of('ann')).toBe('user');
    expect(dir.reads()).toBe(2);
    clock = TTL;
    expect(await standings.of('boss')).toBe('user');
    expect(await standings.of('ann')).toBe('gone');
    expect(dir.reads()).toBe(4);
  });

  it('counts a read from before it was made, so a slow read is not kept longer', async () => {
    let clock = 0;
    const groups = new Map([['boss', ['admin']]]);
    const slow: Directory = {
      groupsOf: async (userId) => {
        clock += 10_000; // the read takes 10 s
        return groups.get(userId);
      },
    };
    const standings = cachedStandings(slow, TTL, () => clock);
    await standings.of('boss');
    groups.set('boss', []);
    clock = TTL; // 15 s after the read began, 5 s after it ended
    expect(await standings.of('boss')).toBe('user');
  });

  it('does not keep a failed read: the next delivery asks again', async () => {
    let fail = true;
    const flaky: Directory = {
      groupsOf: async () => {
        if (fail) throw new Error('TooManyRequestsException');
        return ['admin'];
      },
    };
    const standings = cachedStandings(flaky, TTL, () => 0);
    await expect(standings.of('boss')).rejects.toThrow('TooManyRequests');
    fail = false;
    expect(await standings.of('boss')).toBe('admin');
  });
});
