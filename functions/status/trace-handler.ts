import { CloudWatchLogsClient, FilterLogEventsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { parseDuration } from '../shared/dashboard/duration.js';
import { httpHandler } from '../shared/http/middleware.js';
import { counted } from '../shared/request-counting.js';
import type { TraceSearch } from '../shared/trace/search.js';
import { readTrace } from './domain/trace.js';
import { traceReaderEnv } from './env.js';
import { traceRoutes } from './routes.js';

const logs = counted(new CloudWatchLogsClient({}));
const search: TraceSearch = {
  filter: (input) => logs.send(new FilterLogEventsCommand(input)),
  groups: traceReaderEnv().groups,
};

export const handler = httpHandler(traceRoutes, {
  // The query schema has already refused a malformed or out-of-bounds `since`.
  trace: ({ params, query }) =>
    readTrace(search, params.id, parseDuration(query.since) as number, Date.now()),
});
