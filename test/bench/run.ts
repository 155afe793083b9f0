/**
 * `npm run bench`: runs `npm start` (a fresh local stack on a free port, the
 * app deployed with the bench-only no-op route), and prints, in one run:
 *   - every function's bundle size and module load time beside four baselines
 *     (`npm run bench -- --only=functions` prints just these, without a stack);
 *   - the web console's JavaScript and CSS gzipped, beside its 100 KB budget (no stack either);
 *   - a fresh clone to serving with every install, `npm start` to serving with
 *     a line per phase (after an edit, nothing built; then with bundles
 *     reused), each HTTP function's first request after a cold start beside
 *     the no-op's, a redeploy after a one-line handler change, and
 *     save-to-serving of one-line edits under `npm run dev`;
 *   - downcase latency and throughput at 1 and 16 clients, beside the no-op
 *     floor (the emulator's own cost) measured in the same run;
 *   - the cost of metrics per request: the no-op route with and without the
 *     metrics middleware, in the same run;
 *   - the cost of spans per request the same way (the no-op, and a booking sent sampled and unsampled),
 *     and how long `npm run trace` prints a booking's tree;
 *   - 10,000 log-feed messages: delivered count per subscriber and delivery latency;
 *   - the live feed: publish -> WebSocket client latency with 1 and 20 clients, beside the archive queue;
 *   - the token authorizer's cost, with its decision cache on and off;
 *   - an Idempotency-Key's cost: POST /tasks with and without one, and a replay;
 *   - login p50 with the per-email throttle on, beside a refused (throttled) attempt and the no-op;
 *   - the price of each operation: AWS requests by service, Lambda GB-seconds, DynamoDB units,
 *     log bytes, and dollars per million at us-east-1 prices (test/bench/cost.ts);
 *   - RPC round trips beside a direct Lambda invoke, and booking throughput;
 *   - the search index at 1,000, 10,000 and 100,000 polygons, beside a full scan;
 *   - metrics on the local stack: the delay from a request to its count in GetMetricData;
 *   - the time `npm run stats` takes, beside tsx's own start;
 *   - scale: items read and p50 of every list, search and the reconciler at 1k / 100k / 1M bookings, beside a scan;
 *   - the whole test suite's time (`npm test`), last, with the bench's stack stopped.
 * `--only=functions,dev,...` runs some sections: functions, console, start, fresh-clone,
 * first-request, redeploy, dev, latency, metrics-cost, trace, feed, live-feed, authorizer, idempotency,
 * login, cost, booking, search, metrics, stats, scale, tests. Exits non-zero when a target is missed.
 */

import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { CloudWatchLogsClient, FilterLogEventsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { DeleteMessageBatchCommand, ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { logFeedService } from '../../functions/log-feed/service.js';
import { type FeedMessage, feedMessage } from '../../functions/shared/log-feed/event.js';
import { publishManyToFeed } from '../../functions/shared/log-feed/sns-publisher.js';
import { BUILD_DIR } from '../../lib/bundles/build-store.js';
import { PROJECT_ROOT } from '../../lib/project-root.js';
import { type Deployment, STACK_NAME, stackResources } from '../../lib/stack-outputs.js';
import { assemblyDirectory, deployLocal, localAwsEnv, synthTemplate } from '../../localstack/deploy.js';
import { watchAndUpdate } from '../../localstack/dev/index.js';
import { ensureMinistack, STATE_DIR } from '../../localstack/ministack.js';
import { drainQueue } from '../support/queues.js';
import { authorizerBench } from './authorizer.js';
import { bookingBench } from './booking.js';
import { consoleBench } from './console.js';
import { costBench } from './cost.js';
import { functionsBench } from './functions.js';
import { idempotencyBench } from './idempotency.js';
import { liveFeedBench } from './live-feed.js';
import { loginBench } from './login.js';
import { metricsBench } from './metrics.js';
import { metricsCostBench } from './metrics-cost.js';
import { statsBench } from './ops-stats.js';
import { scaleBench } from './scale.js';
import { searchBench } from './search.js';
import {
  firstRequestBench,
  freshCloneBench,
  type NpmStart,
  npmStart,
  reportStart,
  testSuiteBench,
} from './start.js';
import { httpLoad, type LoadResult, percentile } from './stats.js';
import { traceBench } from './trace.js';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

const NOOP_SOURCE = path.resolve('functions/bench/noop.ts');
const DOWNCASE_DOMAIN = path.resolve('functions/downcase/domain/downcase.ts');
const FEED_MESSAGES = 10_000;

interface Check {
  target: string;
  ok: boolean;
}
const checks: Check[] = [];
const check = (target: string, ok: boolean) => checks.push({ target, ok });
const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
const ms = (value: number) => `${value.toFixed(1)} ms`;

async function waitForApi(
  url: string,
  accept: (body: string) => boolean,
  timeoutMs = 120_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      const response = await fetch(url);
      if (response.status === 200 && accept(await response.text())) return;
    } catch {
      // not up yet
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`${url} did not answer as expected within ${timeoutMs} ms`);
}

/**
 * Deploys the bench's app to its stack again; with `countRequests` (`-c count=true`), every
 * function also logs a line per AWS request it makes, which the cost and scale sections read.
 */
const deploy = (endpoint: string, { countRequests = false } = {}) =>
  deployLocal({
    endpoint,
    deploymentFile: path.join(STATE_DIR, 'bench-deployment.json'),
    context: { bench: 'true', ...(countRequests ? { count: 'true' } : {}) },
    log: () => {},
  });

/**
 * Runs a section on the stack deployed with request counting, then deploys it as it was: the
 * other sections measure functions that do not write a line per AWS request.
 */
async function withRequestCounting(deployment: Deployment, section: () => Promise<void>): Promise<void> {
  const endpoint = deployment.endpoint ?? '';
  const started = Date.now();
  await deploy(endpoint, { countRequests: true });
  console.log(`
(the stack deployed again with request counting, in ${seconds(Date.now() - started)})`);
  try {
    await section();
  } finally {
    await deploy(endpoint);
  }
}

/** Times a redeploy after editing one line of the no-op handler, until the new code answers. */
async function redeploy(deployment: Deployment): Promise<void> {
  const endpoint = deployment.endpoint ?? '';
  const original = readFileSync(NOOP_SOURCE, 'utf8');
  const noopUrl = `${deployment.apiBaseUrl}bench/noop`;
  const version = `v${Date.now()}`;
  try {
    writeFileSync(NOOP_SOURCE, original.replace(/const VERSION = '[^']*';/, `const VERSION = '${version}';`));
    const redeployStarted = Date.now();
    await deploy(endpoint);
    await waitForApi(noopUrl, (body) => body.includes(version));
    const redeployMs = Date.now() - redeployStarted;
    console.log(`redeploy after a one-line handler change: ${seconds(redeployMs)} (target < 15 s)`);
    check('redeploy under 15 s', redeployMs < 15_000);
  } finally {
    writeFileSync(NOOP_SOURCE, original);
  }
}

/**
 * Save-to-serving under `npm run dev` (its watcher, on this stack): one-line
 * edits of the no-op handler and of downcase's domain code (a full HTTP
 * bundle), each timed from the file write to the first answer with the new code.
 */
async function devSaveToServing(deployment: Deployment): Promise<void> {
  const endpoint = deployment.endpoint ?? '';
  const watcher = await watchAndUpdate({
    endpoint,
    redeploy: async () => void (await deploy(endpoint)),
    deployedTemplate: () =>
      JSON.parse(readFileSync(path.join(assemblyDirectory(endpoint), `${STACK_NAME}.template.json`), 'utf8')),
    synthTemplate: async () => {
      const outdir = mkdtempSync(path.join(STATE_DIR, 'bench-synth-'));
      try {
        return await synthTemplate(endpoint, outdir, { bench: 'true' });
      } finally {
        rmSync(outdir, { recursive: true, force: true });
      }
    },
    log: () => {},
  });
  const edits = [
    {
      label: 'no-op handler',
      file: NOOP_SOURCE,
      edit: (source: string, tag: string) =>
        source.replace(/const VERSION = '[^']*';/, `const VERSION = '${tag}';`),
      url: `${deployment.apiBaseUrl}bench/noop`,
    },
    {
      label: 'downcase (full HTTP bundle)',
      file: DOWNCASE_DOMAIN,
      // The answer's template (`lower case of ${input} ...`), not the schema's description of it.
      edit: (source: string, tag: string) =>
        source.replace(/`lower case of \$/, `\`lower case (${tag}) of $$`),
      url: `${deployment.apiBaseUrl}downcase?param=Dev`,
    },
  ];
  try {
    console.log('\nsave-to-serving under npm run dev (one-line edit -> first answer with the new code)');
    for (const { label, file, edit, url } of edits) {
      const original = readFileSync(file, 'utf8');
      const samples: number[] = [];
      let missed: string | undefined;
      try {
        for (let i = 0; i < 3; i++) {
          const tag = `dev${Date.now()}`;
          const saved = Date.now();
          writeFileSync(file, edit(original, tag));
          await waitForApi(url, (body) => body.includes(tag), 30_000);
          samples.push(Date.now() - saved);
        }
      } catch (error) {
        // A miss is a failed target, not the end of the bench.
        missed = error instanceof Error ? error.message : String(error);
      } finally {
        writeFileSync(file, original);
      }
      console.log(
        missed
          ? `  ${label.padEnd(28)} not served: ${missed}`
          : `  ${label.padEnd(28)} ${samples.map(ms).join(', ')} (median ${ms(percentile(samples, 50))})`,
      );
      check(`npm run dev save-to-serving under 3 s: ${label}`, !missed && Math.max(...samples) < 3_000);
    }
  } finally {
    await watcher.close();
  }
}

async function latency(deployment: Deployment): Promise<void> {
  const noop = `${deployment.apiBaseUrl}bench/noop`;
  const downcase = `${deployment.apiBaseUrl}downcase?param=BenchMark`;
  await httpLoad(noop, 4, 100);
  await httpLoad(downcase, 4, 100);
  const rows: Array<[string, number, LoadResult, LoadResult]> = [];
  for (const [clients, requests] of [
    [1, 400],
    [16, 2000],
  ] as const) {
    const floor = await httpLoad(noop, clients, requests);
    const measured = await httpLoad(downcase, clients, requests);
    rows.push([`${clients} client${clients > 1 ? 's' : ''}`, clients, floor, measured]);
  }
  console.log('\nlatency and throughput (no-op = the emulator floor, same run)');
  console.log(
    '  clients     | no-op p50 / p99 / req/s        | downcase p50 / p99 / req/s     | throughput ratio',
  );
  for (const [label, , floor, measured] of rows) {
    const ratio = measured.requestsPerSecond / floor.requestsPerSecond;
    console.log(
      `  ${label.padEnd(11)} | ${ms(floor.p50)} / ${ms(floor.p99)} / ${floor.requestsPerSecond.toFixed(0)}`.padEnd(
        48,
      ) +
        `| ${ms(measured.p50)} / ${ms(measured.p99)} / ${measured.requestsPerSecond.toFixed(0)}`.padEnd(33) +
        `| ${(ratio * 100).toFixed(0)}%`,
    );
    if (floor.errors + measured.errors > 0)
      console.log(`  errors: no-op ${floor.errors}, downcase ${measured.errors}`);
  }
  const [, , floor16, downcase16] = rows[1] as [string, number, LoadResult, LoadResult];
  check(
    'downcase throughput at 16 clients >= 60% of the no-op floor',
    downcase16.requestsPerSecond >= 0.6 * floor16.requestsPerSecond,
  );
  check(
    'no failed requests',
    rows.every(([, , a, b]) => a.errors + b.errors === 0),
  );
}

async function logFeed(deployment: Deployment): Promise<void> {
  const endpoint = deployment.endpoint ?? '';
  Object.assign(process.env, localAwsEnv(endpoint));
  // A bench must end: no call may wait forever on a stuck connection.
  const requestHandler = { requestTimeout: 30_000, connectionTimeout: 5_000 };
  const sqs = new SQSClient({ requestHandler });
  const logs = new CloudWatchLogsClient({ requestHandler });
  const progress = (line: string) =>
    process.stderr.write(`  [feed] ${new Date().toISOString().slice(11, 19)} ${line}\n`);
  const resources = stackResources(deployment.outputs);
  const logFeedTopicArn = resources.shared('logFeedTopicArn');
  const logFeedArchiveQueueUrl = resources.shared('logFeedArchiveQueueUrl');
  const logFeedSubscriberLogGroup = resources.logGroup(logFeedService, 'subscriber');
  const tag = `bench${randomUUID().slice(0, 8)}`;
  const ours = (m: FeedMessage) => m.requestId.startsWith(tag);

  // Start from an empty archive: the latency runs above left their downcase messages in it.
  const drained = (await drainQueue(sqs, logFeedArchiveQueueUrl, 120_000)).length;
  console.log(`\n(drained ${drained} earlier messages from the archive queue)`);

  // Unloaded: one message at a time, publish -> received from the archive queue.
  const idle: number[] = [];
  let idleLost = 0;
  for (let i = 0; i < 20; i++) {
    const sent = Date.now();
    const id = `idle-${tag}-${i}-end`;
    progress(`one-at-a-time message ${i + 1}/20`);
    await publishManyToFeed(logFeedTopicArn, [feedMessage('bench', id, { type: 'bench.idle', data: i })]);
    let found = false;
    while (!found && Date.now() - sent < 10_000) {
      const { Messages = [] } = await sqs.send(
        new ReceiveMessageCommand({
          QueueUrl: logFeedArchiveQueueUrl,
          MaxNumberOfMessages: 10,
          WaitTimeSeconds: 2,
        }),
      );
      found = Messages.some((m) => m.Body?.includes(id));
      if (Messages.length > 0) {
        await sqs.send(
          new DeleteMessageBatchCommand({
            QueueUrl: logFeedArchiveQueueUrl,
            Entries: Messages.map((m, j) => ({ Id: String(j), ReceiptHandle: m.ReceiptHandle ?? '' })),
          }),
        );
      }
    }
    if (found) idle.push(Date.now() - sent);
    else idleLost += 1;
  }
  check('log feed: every one-at-a-time message arrived within 10 s', idleLost === 0);

  // The archive consumer runs while publishing; latency = receive time - publish timestamp.
  const archived = new Map<string, number>();
  let publishing = true;
  const deadline = Date.now() + 300_000;
  const consume = async () => {
    while (Date.now() < deadline && (publishing || archived.size < FEED_MESSAGES)) {
      const { Messages = [] } = await sqs.send(
        new ReceiveMessageCommand({
          QueueUrl: logFeedArchiveQueueUrl,
          MaxNumberOfMessages: 10,
          WaitTimeSeconds: 1,
        }),
      );
      const receivedAt = Date.now();
      for (const m of Messages) {
        const message = JSON.parse(m.Body ?? '{}') as FeedMessage;
        if (ours(message)) archived.set(message.requestId, receivedAt - Date.parse(message.timestamp));
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
  progress('burst: publishing 10,000 messages while 4 consumers drain the archive');
  const consumers = Array.from({ length: 4 }, consume);

  const started = Date.now();
  const batches = Array.from({ length: FEED_MESSAGES / 10 }, (_, b) => b);
  await Promise.all(
    Array.from({ length: 8 }, async (_, worker) => {
      for (let b = worker; b < batches.length; b += 8) {
        const messages = Array.from({ length: 10 }, (_, j) =>
          feedMessage('bench', `${tag}-${b * 10 + j}`, { type: 'bench.message', data: { n: b * 10 + j } }),
        );
        await publishManyToFeed(logFeedTopicArn, messages);
      }
    }),
  );
  publishing = false;
  const publishMs = Date.now() - started;
  await Promise.all(consumers);

  progress(`burst: archive has ${archived.size}; counting subscriber lines`);
  // Subscriber lines: latency = ingestion time - publish timestamp.
  const lineLatencies = new Map<string, number>();
  while (Date.now() < deadline && lineLatencies.size < FEED_MESSAGES) {
    let nextToken: string | undefined;
    do {
      const page = await logs.send(
        new FilterLogEventsCommand({
          logGroupName: logFeedSubscriberLogGroup,
          // Exactly the burst's lines: MiniStack returns at most 10,000 events, then no nextToken.
          filterPattern: `"bench.message" "${tag}"`,
          nextToken,
        }),
      );
      for (const event of page.events ?? []) {
        const requestId = event.message?.split(' ')[3] ?? '';
        if (requestId.startsWith(tag)) {
          lineLatencies.set(requestId, (event.ingestionTime ?? 0) - (event.timestamp ?? 0));
        }
      }
      nextToken = page.nextToken;
    } while (nextToken && Date.now() < deadline);
    if (lineLatencies.size < FEED_MESSAGES) await new Promise((resolve) => setTimeout(resolve, 500));
  }

  const archiveLatency = [...archived.values()];
  const lineLatency = [...lineLatencies.values()];
  console.log(
    `\nlog feed, one message at a time: publish -> archive queue p50 ${ms(percentile(idle, 50))}, p99 ${ms(percentile(idle, 99))}`,
  );
  console.log(
    `log feed burst: ${FEED_MESSAGES} messages published in ${seconds(publishMs)} (latency includes the backlog)`,
  );
  console.log('  subscriber        | delivered | latency p50 / p99');
  console.log(
    `  archive queue     | ${String(archived.size).padEnd(9)} | ${ms(percentile(archiveLatency, 50))} / ${ms(percentile(archiveLatency, 99))}`,
  );
  console.log(
    `  subscriber lines  | ${String(lineLatencies.size).padEnd(9)} | ${ms(percentile(lineLatency, 50))} / ${ms(percentile(lineLatency, 99))}`,
  );
  check('archive queue received every one of 10,000 messages', archived.size === FEED_MESSAGES);
  check('subscriber log group has every one of 10,000 lines', lineLatencies.size === FEED_MESSAGES);
}

/** Sections that run against the stack `npm start` brings up (fresh-clone starts its own first). */
const STACK_SECTIONS = [
  'start',
  'fresh-clone',
  'first-request',
  'redeploy',
  'dev',
  'latency',
  'metrics-cost',
  'trace',
  'feed',
  'live-feed',
  'authorizer',
  'idempotency',
  'login',
  // Before booking and search fill the tables: the scans it prices read tables of tens of items.
  'cost',
  'booking',
  'search',
  'metrics',
  'stats',
  // Last: it loads the tables to a million bookings, which would slow every section after it.
  'scale',
] as const;

/** `--only=functions,dev` runs just those sections (names as below); every one by default. */
const only = process.argv
  .find((arg) => arg.startsWith('--only='))
  ?.slice('--only='.length)
  .split(',');
const wanted = (section: string) => !only || only.includes(section);

async function main(): Promise<void> {
  const started = Date.now();
  // Before any stack starts, so nothing else competes for the CPU.
  if (wanted('functions')) functionsBench(check);
  if (wanted('console')) consoleBench(check);
  const stackSections = STACK_SECTIONS.filter(wanted);
  if (stackSections.length > 0) {
    ensureMinistack(() => {}); // a one-time install is not part of start-to-serving
    if (wanted('fresh-clone')) await freshCloneBench(check);
    // First as after an edit (nothing built), then again: the stack of the second serves the sections.
    let afterEdit: NpmStart | undefined;
    if (wanted('start')) {
      rmSync(BUILD_DIR, { recursive: true, force: true });
      afterEdit = await npmStart(PROJECT_ROOT);
      await afterEdit.stop();
    }
    const start = await npmStart(PROJECT_ROOT);
    try {
      const { deployment } = start;
      // Every section's SDK clients talk to this stack, whichever sections run.
      Object.assign(process.env, localAwsEnv(deployment.endpoint ?? ''));
      console.log(`\nbench on ${deployment.endpoint}\n`);
      if (afterEdit) reportStart(afterEdit, start, check);
      if (wanted('first-request')) await firstRequestBench(deployment);
      if (wanted('redeploy')) await redeploy(deployment);
      if (wanted('dev')) await devSaveToServing(deployment);
      if (wanted('latency')) await latency(deployment);
      if (wanted('metrics-cost')) await metricsCostBench(deployment, check);
      if (wanted('trace')) await traceBench(deployment, check);
      if (wanted('feed')) await logFeed(deployment);
      if (wanted('live-feed')) await liveFeedBench(deployment, check);
      if (wanted('authorizer')) await authorizerBench(deployment, check);
      if (wanted('idempotency')) await idempotencyBench(deployment, check);
      if (wanted('login')) await loginBench(deployment, check);
      if (wanted('cost')) await withRequestCounting(deployment, () => costBench(deployment, check));
      if (wanted('booking')) await bookingBench(deployment, check);
      if (wanted('search')) await searchBench(deployment, check);
      if (wanted('metrics')) await metricsBench(deployment, check);
      if (wanted('stats')) await statsBench(deployment, check);
      if (wanted('scale')) await withRequestCounting(deployment, () => scaleBench(deployment, check));
    } finally {
      await start.stop();
    }
  }
  // Last, with the bench's stack stopped: the suite starts its own.
  if (wanted('tests')) testSuiteBench(check);
  report(started);
}

function report(started: number): void {
  console.log(`\n${checks.map((c) => `${c.ok ? 'PASS' : 'FAIL'}  ${c.target}`).join('\n')}`);
  console.log(`\nbench finished in ${seconds(Date.now() - started)}`);
  if (checks.some((c) => !c.ok)) process.exitCode = 1;
}

void main();
