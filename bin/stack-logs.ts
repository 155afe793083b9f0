/**
 * The stack's function log groups as the scripts read them (`npm run logs`,
 * `npm run trace`): their names, and every event of them matching a term
 * since a time, merged in time order. Over the CloudWatch Logs API, so the
 * same on the local stack and on AWS.
 */
import {
  type CloudWatchLogsClient,
  FilterLogEventsCommand,
  paginateDescribeLogGroups,
} from '@aws-sdk/client-cloudwatch-logs';
import { functionOfLogGroup, logGroupPrefix } from '../lib/log-group-names.js';
import { STACK_NAME } from '../lib/stack-outputs.js';
import type { LogEvent, LogsPort } from '../localstack/metrics-agent/log-reader.js';

/** A log event with the function log group it came from. */
export interface StackLogEvent extends LogEvent {
  logGroupName: string;
  /** `<service>/<function>`, from the group's name. */
  source: string;
}

/** Groups read at once: a read waits mostly on the service. */
const READS_AT_ONCE = 6;

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
    logGroupNames: () => stackLogGroups(client, service),
    filterLogEvents: (input) => client.send(new FilterLogEventsCommand(input)),
  };
}

/**
 * Every event of `groups` containing `term` (a CloudWatch Logs quoted term)
 * since `startTime`, all pages, merged by time.
 */
export async function searchLogs(
  client: CloudWatchLogsClient,
  groups: readonly string[],
  term: string,
  startTime: number,
): Promise<StackLogEvent[]> {
  const found: StackLogEvent[] = [];
  let next = 0;
  const worker = async () => {
    while (next < groups.length) {
      const logGroupName = groups[next++] as string;
      let nextToken: string | undefined;
      do {
        const page = await client.send(
          new FilterLogEventsCommand({ logGroupName, filterPattern: `"${term}"`, startTime, nextToken }),
        );
        for (const event of page.events ?? [])
          found.push({ ...event, logGroupName, source: sourceOf(logGroupName) });
        nextToken = page.nextToken;
      } while (nextToken);
    }
  };
  await Promise.all(Array.from({ length: READS_AT_ONCE }, worker));
  return found.sort((a, b) => (a.timestamp ?? 0) - (b.timestamp ?? 0));
}
