import { SNSClient } from '@aws-sdk/client-sns';
import type { SQSEvent } from 'aws-lambda';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Listener } from '../../../functions/live-feed/domain/listeners.js';
import { feedMessage } from '../../../functions/shared/log-feed/event.js';
import { publishManyToFeed, snsFeedPublisher } from '../../../functions/shared/log-feed/sns-publisher.js';
import { flushMetrics } from '../../../functions/shared/metrics.js';
import { lambdaContext } from '../../support/api-events.js';
import { sumOf, takeEmf } from '../../support/emf.js';

// The unit project runs as service `unit` (vitest.config.ts).
const SERVICE = { service: 'unit' };
const at = new Date('2026-11-22T06:00:00.000Z');

/** The broadcaster's adapters, replaced: its connections, the @connections API and the user directory. */
const live = vi.hoisted(() => ({
  listeners: [] as Listener[],
  gone: new Set<string>(),
  closed: [] as string[],
}));
vi.mock('../../../functions/live-feed/dynamo-store.js', () => ({
  dynamoListenerStore: () => ({
    put: async () => {},
    remove: async (id: string) => {
      live.listeners = live.listeners.filter((l) => l.connectionId !== id);
    },
    all: async () => live.listeners,
  }),
}));
vi.mock('../../../functions/live-feed/management-api.js', () => ({
  managementApi: () => ({
    post: async (id: string) => (live.gone.has(id) ? 'gone' : 'sent'),
    close: async (id: string) => void live.closed.push(id),
  }),
}));
vi.mock('../../../functions/shared/identity/user-pool.js', () => ({
  directoryFromEnv: () => ({ groupsOf: async () => ['admin'] }),
}));

beforeEach(() => {
  flushMetrics();
  takeEmf();
});

afterEach(() => {
  vi.restoreAllMocks();
});

describe('metrics of the log feed', () => {
  it('counts each event published', async () => {
    vi.spyOn(SNSClient.prototype, 'send').mockResolvedValue({} as never);
    const feed = snsFeedPublisher('arn:topic', 'unit', 'r-1');
    await feed.publish({ type: 'task.created', data: {} });
    await feed.publish({ type: 'task.removed', data: {} });
    flushMetrics();
    expect(sumOf(takeEmf(), 'FeedPublished', SERVICE)).toBe(2);
  });

  it('counts the events of a batch SNS took, not those it refused', async () => {
    const send = vi.spyOn(SNSClient.prototype, 'send').mockResolvedValue({ Failed: [] } as never);
    const messages = Array.from({ length: 12 }, (_, i) =>
      feedMessage('s', `r${i}`, { type: 't', data: i }, at),
    );
    await publishManyToFeed('arn:topic', messages);
    flushMetrics();
    expect(sumOf(takeEmf(), 'FeedPublished', SERVICE)).toBe(12);

    send.mockResolvedValueOnce({ Failed: [{ Id: '0', Code: 'x', SenderFault: false }] } as never);
    await expect(publishManyToFeed('arn:topic', messages.slice(0, 3))).rejects.toThrow('rejected 1');
    flushMetrics();
    expect(sumOf(takeEmf(), 'FeedPublished', SERVICE)).toBe(2);
  });

  it('counts nothing when the publish fails', async () => {
    vi.spyOn(SNSClient.prototype, 'send').mockRejectedValue(new Error('SNS is down'));
    await expect(
      snsFeedPublisher('arn:topic', 'unit', 'r-1').publish({ type: 't', data: {} }),
    ).rejects.toThrow();
    flushMetrics();
    expect(sumOf(takeEmf(), 'FeedPublished', SERVICE)).toBe(0);
  });
});

describe('metrics of the live feed', () => {
  it('counts the messages posted and the connections found gone or closed, written once per batch', async () => {
    vi.stubEnv('LIVE_FEED_CONNECTIONS_TABLE', 'connections');
    vi.stubEnv('LIVE_FEED_CALLBACK_URL', 'http://localhost/callback');
    vi.stubEnv('LIVE_FEED_API_ID', 'api');
    vi.stubEnv('LIVE_FEED_STAGE', 'live');
    const inAnHour = Math.floor(Date.now() / 1000) + 3600;
    live.listeners = [
      { connectionId: 'c-1', userId: 'a1', role: 'admin', tokenExpiresAt: inAnHour },
      { connectionId: 'c-2', userId: 'a2', role: 'admin', tokenExpiresAt: inAnHour },
      { connectionId: 'c-gone', userId: 'a3', role: 'admin', tokenExpiresAt: inAnHour },
      { connectionId: 'c-expired', userId: 'a4', role: 'admin', tokenExpiresAt: 1 },
    ];
    live.gone = new Set(['c-gone']);
    try {
      const { handler } = await import('../../../functions/live-feed/broadcaster.js');
      const event = {
        Records: [0, 1].map((n) => ({
          messageId: `m${n}`,
          body: JSON.stringify(feedMessage('downcase', `r${n}`, { type: 'downcase.response', data: {} }, at)),
        })),
      } as unknown as SQSEvent;
      await handler(event, lambdaContext);
    } finally {
      vi.unstubAllEnvs();
    }
    // Written by the handler itself, at the end of the batch.
    const emf = takeEmf();
    expect(live.closed).toEqual(['c-expired']);
    expect(sumOf(emf, 'LiveFeedPosted', SERVICE)).toBe(4);
    expect(sumOf(emf, 'LiveFeedGone', SERVICE)).toBe(2);
  });
});
