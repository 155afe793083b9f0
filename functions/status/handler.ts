import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { cloudWatchReader } from '../shared/dashboard/cloudwatch-reader.js';
import { parseDuration } from '../shared/dashboard/duration.js';
import { httpHandler } from '../shared/http/middleware.js';
import { counted } from '../shared/request-counting.js';
import { readStatus } from './domain/status.js';
import { statusEnv } from './env.js';
import { dashboardRoutes } from './routes.js';

const settings = statusEnv();
const reader = cloudWatchReader(counted(new CloudWatchClient({})));

export const handler = httpHandler(dashboardRoutes, {
  // The query schema has already refused a malformed or out-of-bounds `since`.
  status: ({ query }) => readStatus(reader, settings, parseDuration(query.since) as number, new Date()),
});
