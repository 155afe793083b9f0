/**
 * The stack's function log groups as the scripts read them (`npm run logs`,
 * `npm run trace`): their names, and where a trace is searched for. Over the
 * CloudWatch Logs API, so the same on the local stack and on AWS.
 */
import {
  type CloudWatchLogsClient,
  FilterLogEventsCommand,
  paginateDescribeLogGroups,
} from '@aws-sdk/client-cloudwatch-logs';
import { DEPLOYABLE } from '../functions/services.js';
import type { TraceSearch } from '../functions/shared/trace/search.js';
import { functionLogGroupName, functionOfLogGroup, logGroupPrefix } from '../lib/log-group-names.js';
import { STACK_NAME } from '../lib/stack-outputs.js';
import type { LogsPort } from '../localstack/metrics-agent/log-reader.js';

/** The function log groups of the stack, sorted; only those of `service` when given. */
export async function stackLogGroups(client: CloudWatchLogsClient, service?: string): Promise<string[]> {
  const prefix = `${logGroupPrefix(STACK_NAME)}${service ? `${service}/` : ''}`;
  const names: string[] = [];
  for await (const page of paginateDescribeLogGroups({ client }, { logGroupNamePrefix: prefix }))
    for (const group of page.logGroups ?? [])
      if (group.logGroupName && functionOfLogGroup(STACK_NAME, group.logGroupName))
        names.push(group.logGroupName);
  return names.sort();
}

/** `<service>/<function>` of a stack log group. */
export function sourceOf(logGroupName: string): string {
  const owner = functionOfLogGroup(STACK_NAME, logGroupName);
  return owner ? `${owner.service}/${owner.function}` : logGroupName;
}

/** The CloudWatch Logs port of the metrics agent's LogReader, over the stack's function log groups only. */
export function stackLogsPort(client: CloudWatchLogsClient, service?: string): LogsPort {
  return {
    // Names only: AWS updates a group's stored bytes now and then, not as lines arrive.
    logGroups: async () => (await stackLogGroups(client, service)).map((name) => ({ name })),
    filterLogEvents: (input) => client.send(new FilterLogEventsCommand(input)),
  };
}

/** The log groups of the functions declared to read traces (`stackLogs: 'read'`): a trace search leaves them out. */
export const traceReaderGroups = (): Set<string> =>
  new Set(
    DEPLOYABLE.flatMap((service) =>
      Object.entries(service.functions)
        .filter(([, fn]) => fn.stackLogs === 'read')
        .map(([bundle]) => functionLogGroupName(STACK_NAME, service.name, bundle)),
    ),
  );

/** Where `npm run trace` searches: every function log group of the stack but the trace readers'. */
export async function stackTraceSearch(client: CloudWatchLogsClient): Promise<TraceSearch> {
  const readers = traceReaderGroups();
  return {
    filter: (input) => client.send(new FilterLogEventsCommand(input)),
    groups: (await stackLogGroups(client)).filter((group) => !readers.has(group)),
  };
}
