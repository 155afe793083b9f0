#!/usr/bin/env node
/**
 * `npm run stats`: each service's requests, errors (4xx + 5xx) and latency
 * p50 and p99 over a window, read from the series of the stack's dashboard
 * (its name is the `DashboardName` stack output), as the Status page shows them.
 *
 *   npm run stats [-- --since 15m] [--aws] [--deployment file]
 *
 * Targets the local stack started by `npm start` (or AWS_ENDPOINT_URL), or
 * with --aws the stack deployed to AWS with your ordinary credentials.
 */
import { parseArgs } from 'node:util';
import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { parseDashboardBody } from '../functions/shared/dashboard/body.js';
import { cloudWatchReader } from '../functions/shared/dashboard/cloudwatch-reader.js';
import { DEFAULT_WINDOW, DURATION_RULE, parseDuration } from '../functions/shared/dashboard/duration.js';
import { resolveResources } from './deployment.js';
import { collectStats, formatStats, planStats, windowPeriod } from './stats-report.js';

const { values: args } = parseArgs({
  options: {
    since: { type: 'string', default: DEFAULT_WINDOW },
    aws: { type: 'boolean', default: false },
    deployment: { type: 'string' },
  },
});

async function main(): Promise<void> {
  const windowSeconds = parseDuration(args.since);
  if (windowSeconds === undefined) throw new Error(`--since ${DURATION_RULE} (got "${args.since}")`);
  const dashboard = (await resolveResources(args)).shared('dashboardName');
  const reader = cloudWatchReader(new CloudWatchClient({}));
  const plan = planStats(parseDashboardBody(await reader.dashboardBody(dashboard)), windowSeconds);
  const end = new Date();
  const start = new Date(end.getTime() - windowPeriod(windowSeconds) * 1000);
  const points = await reader.metricData(plan.queries, start, end);
  process.stdout.write(`${formatStats(collectStats(plan, points), dashboard, windowSeconds, end)}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`[stats] ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
