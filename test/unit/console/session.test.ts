import { describe, expect, it } from 'vitest';
import {
  REFRESH_MARGIN_MS,
  type Session,
  type SessionDeps,
  SessionKeeper,
  sessionFrom,
  type TokenAnswer,
} from '../../../functions/console/app/session.js';

const jwt = (claims: Record<string, unknown>) =>
  `h.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.s`;

/** Fake storage, clock and timers: `advance` moves time and fires due timers. */
function fakes(refresh: SessionDeps['refresh']) {
  const stored = new Map<string, string>();
  let logOuts = 0;
  let now = 1_000_000;
  let timers: Array<{ at: number; callback: () => void; id: number }> = [];
  let ids = 0;
  const deps: SessionDeps = {
    storage: {
      getItem: (key) => stored.get(key) ?? null,
      setItem: (key, value) => void stored.set(key, value),
      removeItem: (key) => void stored.delete(key),
    },
    refresh,
    logOut: async () => {
      logOuts += 1;
    },
    now: () => now,
    setTimer: (callback, ms) => {
      ids += 1;
      timers.push({ at: now + ms, callback, id: ids });
      return ids;
    },
    clearTimer: (id) => {
      timers = timers.filter((t) => t.id !== id);
    },
  };
  const advance = async (ms: number) => {
    now += ms;
    const due = timers.filter((t) => t.at <= now);
    timers = timers.filter((t) => t.at > now);
    for (const t of due) t.callback();
    await new Promise((resolve) => setImmediate(resolve));
  };
  return { deps, stored, advance, clock: () => now, logOuts: () => logOuts };
}

const login = (sub: string, groups?: string[]) => ({
  accessToken: jwt({ sub, ...(groups ? { 'cognito:groups': groups } : {}), n: 0 }),
  expiresIn: 3600,
});

describe('session', () => {
  it('reads the user id and role from the access token', () => {
    expect(sessionFrom('ann@x.io', login('u1'), 0)).toMatchObject({
      userId: 'u1',
      role: 'user',
      expiresAt: 3_600_000,
    });
    expect(sessionFrom('boss@x.io', login('u2', ['admin']), 0).role).toBe('admin');
  });

  it('survives a reload: a new keeper finds the stored session', () => {
    const { deps } = fakes(async () => Promise.reject(new Error('unused')));
    new SessionKeeper(deps).signIn(sessionFrom('ann@x.io', login('u1'), deps.now()));
    expect(new SessionKeeper(deps).current?.email).toBe('ann@x.io');
  });

  it('refreshes the access token before it expires', async () => {
    let calls = 0;
    const refresh = async (): Promise<TokenAnswer> => {
      calls += 1;
      return { accessToken: jwt({ sub: 'u1', n: calls }), expiresIn: 3600 };
    };
    const { deps, advance } = fakes(refresh);
    const keeper = new SessionKeeper(deps);
    keeper.signIn(sessionFrom('ann@x.io', login('u1'), deps.now()));
    const first = keeper.current as Session;
    await advance(3600_000 - REFRESH_MARGIN_MS - 1);
    expect(calls).toBe(0);
    await advance(1);
    expect(calls).toBe(1);
    expect(keeper.current?.accessToken).not.toBe(first.accessToken);
    expect(keeper.current?.expiresAt).toBeGreaterThan(first.expiresAt);
  });

  it('refreshes once however many requests ask for a token that is due', async () => {
    let calls = 0;
    let release: (answer: TokenAnswer) => void = () => {};
    const refresh = () => {
      calls += 1;
      return new Promise<TokenAnswer>((resolve) => {
        release = resolve;
      });
    };
    const { deps } = fakes(refresh);
    const keeper = new SessionKeeper(deps);
    keeper.signIn(sessionFrom('ann@x.io', { ...login('u1'), expiresIn: 60 }, deps.now()));
    const tokens = Promise.all([keeper.accessToken(), keeper.accessToken(), keeper.accessToken()]);
    release({ accessToken: jwt({ sub: 'u1', n: 2 }), expiresIn: 3600 });
    const [a, b, c] = await tokens;
    expect(calls).toBe(1);
    expect(new Set([a, b, c]).size).toBe(1);
  });

  it('signs out when the refresh is refused, and forgets the stored session', async () => {
    const { deps, stored } = fakes(async () => Promise.reject(new Error('401')));
    const keeper = new SessionKeeper(deps);
    const seen: Array<Session | undefined> = [];
    keeper.onChange((s) => seen.push(s));
    keeper.signIn(sessionFrom('ann@x.io', { ...login('u1'), expiresIn: 30 }, deps.now()));
    expect(await keeper.accessToken()).toBeUndefined();
    expect(keeper.current).toBeUndefined();
    expect(seen.at(-1)).toBeUndefined();
    expect(stored.size).toBe(0);
  });

  it('stores no refresh token, and drops one a session stored by an older console held', () => {
    const { deps, stored } = fakes(async () => Promise.reject(new Error('unused')));
    new SessionKeeper(deps).signIn(
      sessionFrom('ann@x.io', { ...login('u1'), refreshToken: 'leaked' } as TokenAnswer, deps.now()),
    );
    expect([...stored.values()].join()).not.toContain('leaked');
    stored.set(
      'console.session',
      JSON.stringify({ ...JSON.parse(stored.get('console.session') ?? ''), refreshToken: 'old' }),
    );
    expect(new SessionKeeper(deps).current).not.toHaveProperty('refreshToken');
    expect([...stored.values()].join()).not.toContain('old');
  });

  it('logs out: forgets the session at once and asks the API to revoke the refresh token', async () => {
    const { deps, stored, logOuts } = fakes(async () => Promise.reject(new Error('unused')));
    const keeper = new SessionKeeper(deps);
    keeper.signIn(sessionFrom('ann@x.io', login('u1'), deps.now()));
    await keeper.signOut();
    expect(keeper.current).toBeUndefined();
    expect(stored.size).toBe(0);
    expect(logOuts()).toBe(1);
  });
});
