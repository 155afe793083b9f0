import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { InvokeCommand } from '@aws-sdk/client-lambda';
import { ListSubscriptionsByTopicCommand, PublishCommand } from '@aws-sdk/client-sns';
import { ListQueuesCommand, type Message } from '@aws-sdk/client-sqs';
import { beforeEach, describe, expect, it } from 'vitest';
import { downcaseService } from '../../functions/downcase/service.js';
import { logFeedService } from '../../functions/log-feed/service.js';
import type { FeedMessage } from '../../functions/shared/log-feed/event.js';
import { api, drainQueue, lambda, logLines, resources, sns, sqs, startTail, waitFor } from './support.js';

const archive = resources.shared('logFeedArchiveQueueUrl');
const body = (m: Message) => JSON.parse(m.Body ?? '') as FeedMessage;

/**
 * Drains the archive, keeping the messages `mine` picks (other suites' and the
 * reconciler's messages share it), until `enough` holds for them, then once
 * more for stragglers such as duplicates.
 */
async function collectArchive(
  mine: (message: FeedMessage) => boolean,
  enough: (messages: Message[]) => boolean,
): Promise<Message[]> {
  const collected: Message[] = [];
  const drain = async () => collected.push(...(await drainQueue(archive)).filter((m) => mine(body(m))));
  await waitFor('archive messages', async () => {
    await drain();
    return enough(collected) ? true : undefined;
  });
  await drain();
  return collected;
}

/** The feed message of a downcase call whose input starts with `tag`. */
const downcaseOf = (tag: string) => (message: FeedMessage) =>
  String((message.data as { input?: unknown } | undefined)?.input ?? '').startsWith(tag);

async function inBatches<T>(
  count: number,
  concurrency: number,
  call: (i: number) => Promise<T>,
): Promise<T[]> {
  const results: T[] = [];
  for (let start = 0; start < count; start += concurrency) {
    const batch = Array.from({ length: Math.min(concurrency, count - start) }, (_, j) => call(start + j));
    results.push(...(await Promise.all(batch)));
  }
  return results;
}

beforeEach(async () => {
  await drainQueue(archive);
});

describe('log feed', () => {
  it('publishes each downcase response with service, type and request id attributes and a timestamp', async () => {
    const tag = `attrs${randomUUID().slice(0, 8)}`;
    const before = Date.now();
    expect((await api(`downcase?param=${tag}`)).status).toBe(200);
    const [message, ...others] = await collectArchive(downcaseOf(tag), (m) => m.length >= 1);
    expect(others).toEqual([]);
    const feed = body(message as Message);
    expect(feed).toMatchObject({ service: 'downcase', type: 'downcase.response', data: { input: tag } });
    expect(Date.parse(feed.timestamp)).toBeGreaterThanOrEqual(before - 1000);
    expect(message?.MessageAttributes).toMatchObject({
      service: { DataType: 'String', StringValue: 'downcase' },
      type: { DataType: 'String', StringValue: 'downcase.response' },
      requestId: { DataType: 'String', StringValue: feed.requestId },
    });
  });

  it('loses nothing: 200 calls give exactly 200 archived messages and 200 subscriber lines', async () => {
    const tag = `n200${randomUUID().slice(0, 8)}`;
    const inputs = Array.from({ length: 200 }, (_, i) => `${tag}-${i}`);
    const statuses = await inBatches(200, 16, async (i) => (await api(`downcase?param=${inputs[i]}`)).status);
    expect(statuses.every((s) => s === 200)).toBe(true);

    const archived = await collectArchive(downcaseOf(tag), (m) => m.length >= 200);
    expect(archived).toHaveLength(200);
    expect(
      archived
        .map((m) => body(m).data as { input: string })
        .map((d) => d.input)
        .sort(),
    ).toEqual([...inputs].sort());

    const lines = await waitFor('200 subscriber lines', async () => {
      const found = await logLines(resources.logGroup(logFeedService, 'subscriber'), tag);
      return found.length >= 200 ? found : undefined;
    });
    expect(lines).toHaveLength(200);
    for (const input of inputs) {
      expect(lines.filter((line) => line.includes(`"input":"${input}"`))).toHaveLength(1);
    }
    expect(lines[0]).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z downcase downcase\.response \S+ \{/);
  });

  it('forwards an ERROR logged by a function into the feed', async () => {
    const requestId = `err-${randomUUID()}`;
    // API Gateway never sends a route the function does not declare; invoking it directly with one
    // makes the function log an ERROR (a wiring bug) and answer 500.
    const result = await lambda.send(
      new InvokeCommand({
        FunctionName: resources.functionName(downcaseService, 'downcase'),
        Payload: JSON.stringify({
          httpMethod: 'GET',
          resource: '/undeclared',
          path: '/undeclared',
          requestContext: { requestId },
        }),
      }),
    );
    expect(JSON.parse(Buffer.from(result.Payload ?? []).toString()).statusCode).toBe(500);

    const [archived] = await collectArchive(
      (m) => m.requestId === requestId,
      (m) => m.length >= 1,
    );
    const error = archived && body(archived);
    expect(error).toMatchObject({ service: 'downcase', type: 'log.error' });
    expect(JSON.stringify(error?.data)).toContain('no route declared for GET /undeclared');
  });
});

describe('npm run tail', () => {
  it('prints messages published after it starts, filtered by service, and cleans up on exit', async () => {
    const out = path.join(mkdtempSync(path.join(tmpdir(), 'tail-')), 'subscriber.log');
    const tail = startTail(['--service', 'downcase', '--out', out]);

    await waitFor(
      'tail to subscribe',
      async () => (tail.stderr().includes('subscribed') ? true : undefined),
      {
        timeoutMs: 60_000,
      },
    );
    const queueName = /removing the subscription and queue (\S+)/;
    const other = `other${randomUUID().slice(0, 8)}`;
    await sns.send(
      new PublishCommand({
        TopicArn: resources.shared('logFeedTopicArn'),
        Message: JSON.stringify({
          timestamp: new Date().toISOString(),
          service: 'other',
          type: 'x',
          requestId: other,
          data: other,
        }),
        MessageAttributes: { service: { DataType: 'String', StringValue: 'other' } },
      }),
    );
    const tag = `tail${randomUUID().slice(0, 8)}`;
    expect((await api(`downcase?param=${tag}`)).status).toBe(200);
    await waitFor('tail to print the message', async () => (tail.stdout().includes(tag) ? true : undefined));

    expect(tail.stdout()).toMatch(
      new RegExp(`^\\S+Z downcase downcase\\.response \\S+ .*"input":"${tag}"`, 'm'),
    );
    expect(tail.stdout()).not.toContain(other);
    expect(readFileSync(out, 'utf8')).toContain(tag);

    tail.process.kill('SIGTERM');
    expect(await tail.exited).toBe(0);
    const name = tail.stderr().match(queueName)?.[1];
    expect(name).toMatch(/^log-feed-tail-/);
    const { QueueUrls = [] } = await sqs.send(new ListQueuesCommand({ QueueNamePrefix: name }));
    expect(QueueUrls).toEqual([]);
    const { Subscriptions = [] } = await sns.send(
      new ListSubscriptionsByTopicCommand({ TopicArn: resources.shared('logFeedTopicArn') }),
    );
    expect(Subscriptions.filter((s) => s.Endpoint?.endsWith(`:${name}`))).toEqual([]);
  });
});
