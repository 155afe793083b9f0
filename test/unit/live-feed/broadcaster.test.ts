import { describe, expect, it } from 'vitest';
import {
  broadcast,
  type ConnectionPoster,
  connect,
  type Listener,
  type ListenerStore,
  MAX_CONNECTION_SECONDS,
  mayReceive,
  type StoredListener,
} from '../../../functions/live-feed/domain/listeners.js';
import type { FeedMessage } from '../../../functions/shared/log-feed/event.js';

const ann: Listener = { connectionId: 'c-ann', userId: 'ann', role: 'user' };
const bob: Listener = { connectionId: 'c-bob', userId: 'bob', role: 'user' };
const boss: Listener = { connectionId: 'c-boss', userId: 'boss', role: 'admin' };

const message = (type: string, data: unknown): FeedMessage => ({
  timestamp: '2026-11-22T06:00:00.000Z',
  service: type.split('.')[0] ?? 'x',
  type,
  requestId: 'r-1',
  data,
});
const downcase = message('downcase.response', { input: 'A', result: 'a' });
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

/** Records what each connection received; connections in `gone` answer GoneException. */
function recordingPoster(gone: string[] = []) {
  const received = new Map<string, FeedMessage[]>();
  const poster: ConnectionPoster = {
    post: async (id, data) => {
      if (gone.includes(id)) return 'gone';
      received.set(id, [...(received.get(id) ?? []), JSON.parse(data)]);
      return 'sent';
    },
  };
  return { poster, received };
}

describe('who receives a feed message', () => {
  it('sends events that name no user to every signed-in person', () => {
    expect([ann, bob, boss].filter((l) => mayReceive(l, downcase))).toEqual([ann, bob, boss]);
  });

  it('sends an event naming a user only to that user and to admins', () => {
    expect([ann, bob, boss].filter((l) => mayReceive(l, annsTask))).toEqual([ann, boss]);
  });

  it('treats a userId that is not a string as naming no one', () => {
    const odd = message('x.y', { userId: 42 });
    expect([ann, bob].filter((l) => mayReceive(l, odd))).toEqual([ann, bob]);
  });
});

describe('broadcast', () => {
  it('posts each message, in order, to the connections allowed to see it', async () => {
    const { store } = memoryStore([ann, bob, boss]);
    const { poster, received } = recordingPoster();
    const result = await broadcast([downcase, annsTask], { store, poster });
    expect(received.get('c-ann')).toEqual([downcase, annsTask]);
    expect(received.get('c-bob')).toEqual([downcase]);
    expect(received.get('c-boss')).toEqual([downcase, annsTask]);
    expect(result).toEqual({ sent: 5, removed: 0 });
  });

  it('removes connections that are gone and posts nothing more to them', async () => {
    const { store, rows } = memoryStore([ann, bob]);
    const { poster, received } = recordingPoster(['c-bob']);
    let posts = 0;
    const counting: ConnectionPoster = {
      post: (id, data) => {
        posts += 1;
        return poster.post(id, data);
      },
    };
    const result = await broadcast([downcase, downcase], { store, poster: counting });
    expect([...rows.keys()]).toEqual(['c-ann']);
    expect(received.get('c-ann')).toHaveLength(2);
    expect(posts).toBe(3); // bob once, found gone, then skipped
    expect(result).toEqual({ sent: 2, removed: 1 });
  });

  it('fails (so the delivery is retried) when posting fails for another reason', async () => {
    const { store } = memoryStore([ann]);
    const poster: ConnectionPoster = { post: async () => Promise.reject(new Error('throttled')) };
    await expect(broadcast([downcase], { store, poster })).rejects.toThrow('throttled');
  });
});

describe('connect', () => {
  it('stores the connection to expire when API Gateway would close it anyway (2 hours)', async () => {
    const { store, rows } = memoryStore([]);
    await connect(store, ann, new Date('2026-11-22T06:00:00Z'));
    expect(rows.get('c-ann')).toEqual({
      ...ann,
      expiresAt: Date.parse('2026-11-22T06:00:00Z') / 1000 + MAX_CONNECTION_SECONDS,
    });
  });
});
