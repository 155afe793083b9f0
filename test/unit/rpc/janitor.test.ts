import { describe, expect, it } from 'vitest';
import { MAX_IDLE_MS, staleReplyQueues } from '../../../functions/rpc-janitor/domain/stale.js';

describe('stale reply queues', () => {
  const now = Date.parse('2026-11-21T12:00:00Z');
  it('are those idle longer than the limit, or without a readable heartbeat', () => {
    const queues = [
      { url: 'fresh', heartbeat: new Date(now - 60_000).toISOString() },
      { url: 'just-inside', heartbeat: new Date(now - MAX_IDLE_MS).toISOString() },
      { url: 'idle', heartbeat: new Date(now - MAX_IDLE_MS - 1).toISOString() },
      { url: 'untagged' },
      { url: 'garbled', heartbeat: 'yesterday' },
    ];
    expect(staleReplyQueues(queues, now)).toEqual(['idle', 'untagged', 'garbled']);
  });
});
