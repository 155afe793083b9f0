import { afterEach, describe, expect, it, vi } from 'vitest';
import { createApi, newIdempotencyKey } from '../../../functions/console/app/api.js';
import type { SessionKeeper } from '../../../functions/console/app/session.js';

/** A keeper whose token is refused once (the API answers 401), then accepted after a refresh. */
const keeper = () => {
  let token = 'old';
  return {
    accessToken: async () => token,
    refreshNow: async () => {
      token = 'new';
      return true;
    },
  } as unknown as SessionKeeper;
};

/** The console's fetch, answering 401 to the first request and 201 after, recording each request's headers. */
function stubFetch(statuses: number[]) {
  const sent: Array<Record<string, string>> = [];
  vi.stubGlobal('location', { pathname: '/v1/console', origin: 'http://localhost' });
  vi.stubGlobal(
    'fetch',
    vi.fn(async (_url: URL, init: RequestInit) => {
      sent.push({ ...(init.headers as Record<string, string>) });
      const status = statuses.shift() ?? 201;
      return new Response(status === 401 ? '{"message":"expired"}' : '{"id":"t1"}', { status });
    }),
  );
  return sent;
}

afterEach(() => {
  vi.unstubAllGlobals();
});

describe('the console API client and Idempotency-Key', () => {
  it('sends a fresh key with every change, and the same key on its own retry after a refresh', async () => {
    const sent = stubFetch([401, 201, 201]);
    const api = createApi(keeper());
    await api.send('POST', 'tasks', { name: 'a' });
    await api.send('POST', 'tasks', { name: 'a' });
    const [refused, retried, next] = sent.map((headers) => headers['idempotency-key']);
    expect(refused).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(retried).toBe(refused);
    expect(sent[1]?.authorization).toBe('Bearer new');
    expect(next).not.toBe(refused);
  });

  it('sends no key with a read', async () => {
    const sent = stubFetch([200]);
    await createApi(keeper()).get('tasks');
    expect(sent[0]).not.toHaveProperty('idempotency-key');
  });

  it('makes UUIDs without crypto.randomUUID (outside a secure context) too', () => {
    const real = globalThis.crypto;
    vi.stubGlobal('crypto', { getRandomValues: (bytes: Uint8Array) => real.getRandomValues(bytes) });
    const keys = new Set(Array.from({ length: 50 }, () => newIdempotencyKey()));
    vi.unstubAllGlobals();
    expect(keys.size).toBe(50);
    for (const key of keys)
      expect(key).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });
});

describe('the console API client on failures', () => {
  const signedIn = () =>
    ({ accessToken: async () => 't', refreshNow: async () => undefined }) as unknown as SessionKeeper;

  it('turns an HTML 502 into a gateway failure carrying its status, not a JSON parse error', async () => {
    vi.stubGlobal('location', { pathname: '/v1/console', origin: 'http://localhost' });
    vi.stubGlobal(
      'fetch',
      vi.fn(
        async () =>
          new Response('<html><body>Bad Gateway</body></html>', { status: 502, statusText: 'Bad Gateway' }),
      ),
    );
    await expect(createApi(signedIn()).get('tasks')).rejects.toMatchObject({ status: 502, kind: 'gateway' });
  });

  it('turns no answer into a network failure with status 0', async () => {
    vi.stubGlobal('location', { pathname: '/v1/console', origin: 'http://localhost' });
    vi.stubGlobal(
      'fetch',
      vi.fn(async () => {
        throw new TypeError('Failed to fetch');
      }),
    );
    await expect(createApi(signedIn()).send('POST', 'tasks', { name: 'a' })).rejects.toMatchObject({
      status: 0,
      kind: 'network',
    });
  });

  it("keeps the API's message, field issues and request id, and sends the action's own key", async () => {
    const sent = stubFetch([]);
    vi.stubGlobal(
      'fetch',
      vi.fn(async (_url: URL, init: RequestInit) => {
        sent.push({ ...(init.headers as Record<string, string>) });
        return new Response(
          JSON.stringify({
            message: 'invalid',
            fields: [{ field: 'body.name', message: 'must not be empty' }],
            requestId: 'r-1',
          }),
          { status: 400 },
        );
      }),
    );
    const failure = await createApi(signedIn())
      .send('POST', 'tasks', { name: '' }, 'the-key')
      .catch((e: unknown) => e);
    expect(failure).toMatchObject({ status: 400, requestId: 'r-1', kind: 'answer', message: 'invalid' });
    expect(sent[0]?.['idempotency-key']).toBe('the-key');
  });

  it('says the session ended when a refresh cannot cure a 401', async () => {
    stubFetch([401]);
    await expect(createApi(signedIn()).get('tasks')).rejects.toMatchObject({ status: 401, kind: 'session' });
  });
});
