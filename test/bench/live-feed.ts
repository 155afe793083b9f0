/**
 * Live feed latency: publish -> browser (a WebSocket client of the live-feed
 * API, an admin's) over 500 messages with 1 and with 20 connected clients,
 * rights checked at each delivery, beside publish -> archive queue for the
 * same messages, measured in the same run.
 */
import { randomUUID } from 'node:crypto';
import { DeleteMessageBatchCommand, ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import WebSocket from 'ws';
import { type FeedMessage, feedMessage } from '../../functions/shared/log-feed/event.js';
import { publishManyToFeed } from '../../functions/shared/log-feed/sns-publisher.js';
import { type Deployment, liveFeedUrl, stackResources } from '../../lib/stack-outputs.js';
import { localAwsEnv } from '../../localstack/deploy.js';
import { benchPerson } from './people.js';
import { percentile } from './stats.js';

const MESSAGES = 500;
/** Published ten at a time, the next ten once every client has the last: a steady, unsaturated feed. */
const BATCH = 10;

type Check = (target: string, ok: boolean) => void;
const ms = (value: number) => `${value.toFixed(1)} ms`;

function openClient(url: string, onMessage: (message: FeedMessage, at: number) => void): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(url);
    socket.on('message', (data) => onMessage(JSON.parse(String(data)) as FeedMessage, Date.now()));
    socket.once('open', () => resolve(socket));
    socket.once('error', reject);
    socket.once('unexpected-response', (_req, res) =>
      reject(new Error(`handshake refused: ${res.statusCode}`)),
    );
  });
}

interface Run {
  clients: number;
  browser: number[];
  archive: number[];
  missing: number;
}

async function run(deployment: Deployment, token: string, clients: number, count = MESSAGES): Promise<Run> {
  const resources = stackResources(deployment.outputs);
  const logFeedTopicArn = resources.shared('logFeedTopicArn');
  const logFeedArchiveQueueUrl = resources.shared('logFeedArchiveQueueUrl');
  const tag = `live${randomUUID().slice(0, 8)}`;
  const published = new Map<string, number>();
  const received = new Map<string, number>(); // requestId -> clients that have it
  const browser: number[] = [];
  const url = `${liveFeedUrl(deployment.outputs, deployment.endpoint)}?token=${encodeURIComponent(token)}`;
  const sockets = await Promise.all(
    Array.from({ length: clients }, () =>
      openClient(url, (message, at) => {
        const sent = published.get(message.requestId);
        if (sent === undefined) return;
        browser.push(at - sent);
        received.set(message.requestId, (received.get(message.requestId) ?? 0) + 1);
      }),
    ),
  );

  const sqs = new SQSClient({ requestHandler: { requestTimeout: 30_000, connectionTimeout: 5_000 } });
  const archive: number[] = [];
  let publishing = true;
  const deadline = Date.now() + 180_000;
  const consumeArchive = async () => {
    while (Date.now() < deadline && (publishing || archive.length < count)) {
      const { Messages = [] } = await sqs.send(
        new ReceiveMessageCommand({
          QueueUrl: logFeedArchiveQueueUrl,
          MaxNumberOfMessages: 10,
          WaitTimeSeconds: 1,
        }),
      );
      const at = Date.now();
      for (const m of Messages) {
        const sent = published.get((JSON.parse(m.Body ?? '{}') as FeedMessage).requestId);
        if (sent !== undefined) archive.push(at - sent);
      }
      if (Messages.length > 0) {
        await sqs.send(
          new DeleteMessageBatchCommand({
            QueueUrl: logFeedArchiveQueueUrl,
            Entries: Messages.map((m, i) => ({ Id: String(i), ReceiptHandle: m.ReceiptHandle ?? '' })),
          }),
        );
      }
    }
  };
  const consumers = Array.from({ length: 2 }, consumeArchive);

  for (let start = 0; start < count && Date.now() < deadline; start += BATCH) {
    const messages = Array.from({ length: BATCH }, (_, i) =>
      feedMessage('bench', `${tag}-${start + i}`, { type: 'bench.live', data: { n: start + i } }),
    );
    const sentAt = Date.now();
    for (const m of messages) published.set(m.requestId, sentAt);
    await publishManyToFeed(logFeedTopicArn, messages);
    const batchDeadline = Date.now() + 10_000;
    while (Date.now() < batchDeadline && messages.some((m) => (received.get(m.requestId) ?? 0) < clients)) {
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
  }
  publishing = false;
  await Promise.all(consumers);
  for (const socket of sockets) socket.terminate();
  sqs.destroy();
  return { clients, browser, archive, missing: count * clients - browser.length };
}

export async function liveFeedBench(deployment: Deployment, check: Check): Promise<void> {
  Object.assign(process.env, localAwsEnv(deployment.endpoint ?? ''));
  // The bench's events name no one, so only admins receive them (deny by default).
  const token = (await benchPerson(deployment, { admin: true })).accessToken;
  // Not measured: starts the broadcaster's execution environments (cold starts are not the feed's latency).
  await run(deployment, token, 1, 50);
  const runs: Run[] = [];
  for (const clients of [1, 20]) runs.push(await run(deployment, token, clients));
  console.log(
    `\nlive feed: publish -> browser (WebSocket) over ${MESSAGES} messages, beside publish -> archive queue`,
  );
  console.log('  clients | browser deliveries | browser p50 / p99     | archive queue p50 / p99');
  for (const r of runs) {
    console.log(
      `  ${String(r.clients).padEnd(7)} | ${String(r.browser.length).padEnd(18)} | ${`${ms(percentile(r.browser, 50))} / ${ms(percentile(r.browser, 99))}`.padEnd(21)} | ${ms(percentile(r.archive, 50))} / ${ms(percentile(r.archive, 99))}`,
    );
    check(`live feed: every message reached each of ${r.clients} client(s)`, r.missing === 0);
  }
  const one = runs[0] as Run;
  check('live feed: publish -> browser p99 under 2 s with one client', percentile(one.browser, 99) < 2_000);
}
