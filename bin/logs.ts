#!/usr/bin/env node
/**
 * `npm run logs`: what every function of the stack logged, merged by time,
 * one line per event, from `--since` ago and then, with `--follow`, as it
 * comes. Reads the function log groups (`/microservices/<stack>/<service>/<function>`).
 *
 *   npm run logs -- [--service s] [--level warn] [--since 15m] [--follow] [--trace id]
 *                   [--groups] [--aws] [--deployment file]
 *
 * --trace keeps the lines of one trace (or any id: a request id, a booking id);
 * --groups lists the log groups and stops. EMF metric documents are left out.
 * Targets the local stack started by `npm start` (or AWS_ENDPOINT_URL), or
 * with --aws the stack deployed to AWS with your ordinary credentials.
 */
import { parseArgs } from 'node:util';
import { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import { DURATION_RULE, parseDuration } from '../functions/shared/dashboard/duration.js';
import { LogReader } from '../localstack/metrics-agent/log-reader.js';
import { resolveResources } from './deployment.js';
import { formatLogLine, isMetricsLine, jsonOf, LEVELS, levelOf, parseLevel } from './log-lines.js';
import { sourceOf, stackLogGroups, stackLogsPort } from './stack-logs.js';

const { values: args } = parseArgs({
  options: {
    service: { type: 'string' },
    level: { type: 'string', default: 'debug' },
    since: { type: 'string', default: '15m' },
    follow: { type: 'boolean', default: false },
    trace: { type: 'string' },
    groups: { type: 'boolean', default: false },
    aws: { type: 'boolean', default: false },
    deployment: { type: 'string' },
  },
});

/** How often --follow reads again. */
const FOLLOW_EVERY_MS = 1_000;

async function main(): Promise<void> {
  const minimum = parseLevel(args.level);
  if (!minimum)
    throw new Error(`--level must be one of ${LEVELS.join(', ').toLowerCase()} (got "${args.level}")`);
  const sinceSeconds = parseDuration(args.since);
  if (sinceSeconds === undefined) throw new Error(`--since ${DURATION_RULE} (got "${args.since}")`);
  await resolveResources(args);
  const client = new CloudWatchLogsClient({});
  if (args.groups) {
    for (const name of await stackLogGroups(client, args.service)) process.stdout.write(`${name}\n`);
    return;
  }
  const reader = new LogReader(stackLogsPort(client, args.service), {
    from: Date.now() - sinceSeconds * 1000,
    ...(args.trace ? { filterPattern: `"${args.trace}"` } : {}),
    warn: (line) => process.stderr.write(`[logs] ${line}\n`),
  });
  const floor = LEVELS.indexOf(minimum);
  const color = process.stdout.isTTY === true;
  const printNew = async () => {
    const events = (await reader.read()).flatMap(({ logGroupName, events }) =>
      events.map((event) => ({ ...event, source: sourceOf(logGroupName) })),
    );
    events.sort((a, b) => (a.timestamp ?? 0) - (b.timestamp ?? 0));
    for (const event of events) {
      const json = jsonOf(event.message ?? '');
      if (isMetricsLine(json) || LEVELS.indexOf(levelOf(event.message ?? '', json)) < floor) continue;
      process.stdout.write(`${formatLogLine(event, { color })}\n`);
    }
  };
  await printNew();
  if (!args.follow) return;
  process.stderr.write('[logs] following; Ctrl-C to stop\n');
  for (;;) {
    await new Promise((resolve) => setTimeout(resolve, FOLLOW_EVERY_MS));
    await printNew();
  }
}

process.once('SIGINT', () => process.exit(0));
main().catch((error: unknown) => {
  process.stderr.write(`[logs] ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
