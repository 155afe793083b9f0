#!/usr/bin/env node
/**
 * `npm run trace <traceId | requestId | bookingId>`: one request's whole path
 * across the stack as a waterfall. Finds the trace (a trace id as is; any
 * other id through the lines that name it), reads its span lines from every
 * function log group, and prints the tree of spans: start offset, duration,
 * service, name, kind, outcome and a bar on the trace's time line, including
 * the saga's later steps. The search is the one admins' `GET /traces/{id}`
 * runs (functions/shared/trace/search.ts).
 *
 *   npm run trace -- <id> [--since 24h] [--json] [--aws] [--deployment file]
 *
 * Targets the local stack started by `npm start` (or AWS_ENDPOINT_URL), or
 * with --aws the stack deployed to AWS with your ordinary credentials.
 */
import { parseArgs } from 'node:util';
import { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import { DURATION_RULE, parseDuration } from '../functions/shared/dashboard/duration.js';
import { findTrace, LOOKUP_ID_PATTERN, LOOKUP_ID_RULE } from '../functions/shared/trace/search.js';
import { renderWaterfall } from '../functions/shared/trace/waterfall.js';
import { resolveResources } from './deployment.js';
import { stackTraceSearch } from './stack-logs.js';

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
  if (!LOOKUP_ID_PATTERN.test(id)) throw new Error(`the id ${LOOKUP_ID_RULE} (got "${id}")`);
  const sinceSeconds = parseDuration(args.since);
  if (sinceSeconds === undefined) throw new Error(`--since ${DURATION_RULE} (got "${args.since}")`);
  await resolveResources(args);
  const search = await stackTraceSearch(new CloudWatchLogsClient({}));
  const lookup = await findTrace(search, id, Date.now() - sinceSeconds * 1000);
  if ('missing' in lookup)
    throw new Error(
      lookup.missing === 'id'
        ? `no log line of the last ${args.since} names ${id}`
        : `trace ${lookup.traceId} has no span line in the last ${args.since}`,
    );
  const { otherTraces, ...waterfall } = lookup.found;
  if (args.json) {
    process.stdout.write(`${JSON.stringify(lookup.found)}\n`);
    return;
  }
  process.stdout.write(`${renderWaterfall(waterfall, { color: process.stdout.isTTY === true })}\n`);
  if (otherTraces.length > 0)
    process.stdout.write(`${id} is named by other traces too: ${otherTraces.join(' ')}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`[trace] ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
