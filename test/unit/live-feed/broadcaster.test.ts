import { describe, expect, it } from 'vitest';
import {
  broadcast,
  type ConnectionsApi,
  connect,
  holderFromAuthorizer,
  type Listener,
  type ListenerStore,
  MAX_CONNECTION_SECONDS,
  type StoredListener,
} from '../../../functions/live-feed/domain/listeners.js';
import { cachedStandings, type Standings } from '../../../functions/live-feed/domain/rights.js';
import type { FeedMessage } from '../../../functions/shared/log-feed/event.js';

const NOW = new Date('2026-11-22T06:00:00Z');
const nowSeconds = NOW.getTime() / 1000;
const valid = nowSeconds + 3600;
const ann: Listener = { connectionId: 'c-ann', userId: 'ann', role: 'user', tokenExpiresAt: valid };
const bob: Listener = { connectionId: 'c-bob', userId: 'bob', role: 'user', tokenExpiresAt: valid };
const boss: Listener = { connectionId: 'c-boss', userId: 'boss', role: 'admin', tokenExpiresAt: valid };

const message = (type: string, data: unknown): FeedMessage => ({
  timestamp: '2026-11-22T06:00:00.000Z',
  service: type.split('.')[0] ?? 'x',
  type,
  requestId: 'r-1',
  data,
});
const anonymousDowncase = message('downcase.response', { input: 'A', result: 'a' });
const bobsDowncase = message('downcase.response', { input: 'B', result: 'b', userId: 'bob' });
const annsTask = message('task.created', { userId: 'ann', task: { name: 'milk' } });

function memoryStore(listeners: Listener[]) {
  const rows = new Map<string, StoredListener>(
    listeners.map((l) => [l.connectionId, { ...l, expiresAt: Number.MAX_SAFE_INTEGER }]),
  );
  const store: ListenerStore = {
    put: async (listener) => void rows.set(listener.connectionId, listener),
    remove: async (id) => void rows.delete(id),
    all: async () => [...rows.values()].map(({ expiresAt: _, ...l }) => l),
  };
  return { store, rows };
}

/** Records what each connection received and which were closed; connections in `gone` answer GoneException. */
function recordingApi(gone: string[] = []) {
  const received = new Map<string, FeedMessage[]>();
  const closed: string[] = [];
  let posts = 0;
  const connections: ConnectionsApi = {
    post: async (id, data) => {
      posts += 1;
      if (gone.includes(id) || closed.includes(id)) return 'gone';
      received.set(id, [...(received.get(id) ?? []), JSON.parse(data)]);
      return 'sent';
    },
    close: async (id) => void closed.push(id),
  };
  return { connections, received, closed, posts: () => posts };
}

/** The directory as it stands: everyone with the role they connected with. */
const asConnected: Standings = {
  of: async (userId) => (userId === 'boss' ? 'admin' : ['ann', 'bob'].includes(userId) ? 'user' : 'gone'),
};

describe('broadcast', () => {
  it('posts each message, in order, to the connections allowed to see it', async () => {
    const { store } = memoryStore([ann, bob, boss]);
    const { connections, received } = recordingApi();
    const result = await broadcast([anonymousDowncase, annsTask, bobsDowncase], {
      store,
      connections,
      standings: asConnected,
      now: NOW,
    });
    expect(received.get('c-ann')).toEqual([annsTask]);
    expect(received.get('c-bob')).toEqual([bobsDowncase]);
    expect(received.get('c-boss')).toEqual([anonymousDowncase, annsTask, bobsDowncase]);
    expect(result).toEqual({ sent: 5, removed: 0, closed: [] });
  });

  it('removes connections that are gone and posts nothing more to them', async () => {
    const { store, rows } = memoryStore([boss, { ...bob, role: 'admin' }]);
    const api = recordingApi(['c-bob']);
    const standings: Standings = { of: async () => 'admin' };
    const result = await broadcast([anonymousDowncase, anonymousDowncase], {
      store,
      connections: api.connections,
      standings,
      now: NOW,
    });
    expect([...rows.keys()]).toEqual(['c-boss']);
    expect(api.received.get('c-boss')).toHaveLength(2);
    expect(api.posts()).toBe(3); // bob once, found gone, then skipped
    expect(result).toEqual({ sent: 2, removed: 1, closed: [] });
  });

  it('fails (so the delivery is retried) when posting fails for another reason', async () => {
    const { store } = memoryStore([boss]);
    const connections: ConnectionsApi = {
      post: async () => Promise.reject(new Error('throttled')),
      close: async () => undefined,
    };
    await expect(
      broadcast([anonymousDowncase], { store, connections, standings: asConnected, now: NOW }),
    ).rejects.toThrow('throttled');
  });

  it('fails (so the delivery is retried) when the directory cannot be read, sending nothing', async () => {
    const { store } = memoryStore([boss]);
    const api = recordingApi();
    const standings: Standings = { of: () => Promise.reject(new Error('TooManyRequestsException')) };
    await expect(
      broadcast([anonymousDowncase], { store, connections: api.connections, standings, now: NOW }),
    ).rejects.toThrow('TooManyRequests');
    expect(api.posts()).toBe(0);
  });
});

describe('rights checked when the feed delivers', () => {
  it.each([
    ['whose token has expired', { ...boss, tokenExpiresAt: nowSeconds }, 'admin', 'token expired'],
    ['whose account was deleted', boss, 'gone', 'account deleted'],
    ['whose admin role was revoked', boss, 'user', 'role changed'],
  ] as const)(
    'closes and forgets a connection %s, sending it nothing',
    async (_case, listener, standing, reason) => {
      const { store, rows } = memoryStore([listener, ann]);
      const api = recordingApi();
      const result = await broadcast([anonymousDowncase, annsTask], {
        store,
        connections: api.connections,
        standings: { of: async (userId) => (userId === 'boss' ? standing : 'user') },
        now: NOW,
      });
      expect(api.closed).toEqual(['c-boss']);
      expect(api.received.get('c-boss')).toBeUndefined();
      expect([...rows.keys()]).toEqual(['c-ann']);
      expect(api.received.get('c-ann')).toEqual([annsTask]);
      expect(result.closed).toEqual([{ connectionId: 'c-boss', userId: 'boss', reason }]);
    },
  );

  it('stops a revoked admin within the rights cache: delivered while cached, closed once it expires', async () => {
    const groups = new Map([['boss', ['admin']]]);
    let clock = 0;
    const standings = cachedStandings({ groupsOf: async (id) => groups.get(id) }, 15_000, () => clock);
    const { store } = memoryStore([boss]);
    const api = recordingApi();
    const deliver = () =>
      broadcast([anonymousDowncase], { store, connections: api.connections, standings, now: NOW });

    await deliver();
    groups.set('boss', []); // admin revoked
    clock = 14_999;
    await deliver();
    expect(api.received.get('c-boss')).toHaveLength(2);
    expect(api.closed).toEqual([]);
    clock = 15_000;
    expect((await deliver()).closed).toEqual([
      { connectionId: 'c-boss', userId: 'boss', reason: 'role changed' },
    ]);
    expect(api.received.get('c-boss')).toHaveLength(2);
    expect(api.closed).toEqual(['c-boss']);
  });

  it('reads the directory once per person, however many connections they have', async () => {
    const { store } = memoryStore([boss, { ...boss, connectionId: 'c-boss-2' }, ann]);
    const api = recordingApi();
    const asked: string[] = [];
    const standings = cachedStandings(
      {
        groupsOf: async (id) => {
          asked.push(id);
          return id === 'boss' ? ['admin'] : [];
        },
      },
      15_000,
      () => 0,
    );
    await broadcast([anonymousDowncase], { store, connections: api.connections, standings, now: NOW });
    await broadcast([anonymousDowncase], { store, connections: api.connections, standings, now: NOW });
    expect(asked.sort()).toEqual(['ann', 'boss']);
    expect(api.received.get('c-boss-2')).toHaveLength(2);
  });
});

describe('connect', () => {
  it('stores the connection with its token expiry, to expire when API Gateway would close it anyway (2 hours)', async () => {
    const { store, rows } = memoryStore([]);
    await connect(store, ann, NOW);
    expect(rows.get('c-ann')).toEqual({ ...ann, expiresAt: nowSeconds + MAX_CONNECTION_SECONDS });
  });

  it.each([
    ['a number', 1_800_000_000],
    ['a decimal string (as API Gateway may hand it over)', '1800000000'],
  ])('reads the token expiry from the authorizer context as %s', (_case, tokenExpiresAt) => {
    expect(holderFromAuthorizer({ userId: 'ann', role: 'user', tokenExpiresAt })).toEqual({
      userId: 'ann',
      role: 'user',
      tokenExpiresAt: 1_800_000_000,
    });
  });

  it.each([
    ['no expiry', { userId: 'ann', role: 'user' }],
    ['an expiry that is not a number', { userId: 'ann', role: 'user', tokenExpiresAt: 'soon' }],
    ['no user', { role: 'user', tokenExpiresAt: 1 }],
    ['no context', undefined],
  ])('refuses an authorizer context with %s', (_case, context) => {
    expect(holderFromAuthorizer(context)).toBeUndefined();
  });
});
