#!/usr/bin/env node
/**
 * `npm run trace <traceId | requestId | bookingId>`: one request's whole path
 * across the stack as a waterfall. Finds the trace (a trace id as is; any
 * other id through the lines that name it), reads its span lines from every
 * function log group, and prints the tree of spans: start offset, duration,
 * service, name, kind, outcome and a bar on the trace's time line, including
 * the saga's later steps.
 *
 *   npm run trace -- <id> [--since 24h] [--json] [--aws] [--deployment file]
 *
 * Targets the local stack started by `npm start` (or AWS_ENDPOINT_URL), or
 * with --aws the stack deployed to AWS with your ordinary credentials.
 */
import { parseArgs } from 'node:util';
import { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import { DURATION_RULE, parseDuration } from '../functions/shared/dashboard/duration.js';
import { buildWaterfall, renderWaterfall } from '../functions/shared/trace/waterfall.js';
import { resolveResources } from './deployment.js';
import { stackLogGroups } from './stack-logs.js';
import { spansOf, tracesNaming } from './trace-search.js';

const { values: args, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    since: { type: 'string', default: '1d' },
    json: { type: 'boolean', default: false },
    aws: { type: 'boolean', default: false },
    deployment: { type: 'string' },
  },
});

async function main(): Promise<void> {
  const [id, ...extra] = positionals;
  if (!id || extra.length > 0) throw new Error('usage: npm run trace -- <traceId | requestId | bookingId>');
  const sinceSeconds = parseDuration(args.since);
  if (sinceSeconds === undefined) throw new Error(`--since ${DURATION_RULE} (got "${args.since}")`);
  await resolveResources(args);
  const client = new CloudWatchLogsClient({});
  const startTime = Date.now() - sinceSeconds * 1000;
  const groups = await stackLogGroups(client);
  const [traceId, ...others] = await tracesNaming(client, groups, id, startTime);
  if (!traceId) throw new Error(`no log line of the last ${args.since} names ${id}`);
  const waterfall = buildWaterfall(await spansOf(client, groups, traceId, startTime));
  if (!waterfall) throw new Error(`trace ${traceId} has no span line in the last ${args.since}`);
  if (args.json) {
    process.stdout.write(`${JSON.stringify(waterfall)}\n`);
    return;
  }
  process.stdout.write(`${renderWaterfall(waterfall, { color: process.stdout.isTTY === true })}\n`);
  if (others.length > 0) process.stdout.write(`${id} is named by other traces too: ${others.join(' ')}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`[trace] ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
