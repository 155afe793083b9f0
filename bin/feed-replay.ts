/**
 * The log feed's past, for `npm run tail -- --since 10m`: the lines the
 * feed's durable subscriber wrote to its log group (one per message, in the
 * format `tail` prints), from a time on. The archive queue keeps every
 * message too, but a queue cannot be read by time, and reading it would
 * count towards its messages' dead-lettering; the subscriber's log group is
 * the archive in time order.
 */
import { type CloudWatchLogsClient, FilterLogEventsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { LogReader } from '../localstack/metrics-agent/log-reader.js';

/** The service named by a feed line (`<timestamp> <service> <type> <requestId> <data>`). */
export const serviceOfFeedLine = (line: string): string | undefined => line.split(' ')[1];

/** Every feed line since `startTime`, oldest first; only `service`'s when given. */
export async function feedLinesSince(
  client: CloudWatchLogsClient,
  logGroupName: string,
  startTime: number,
  service?: string,
): Promise<string[]> {
  // Read as the metrics agent reads: MiniStack gives FilterLogEvents no nextToken, and a group
  // holds the subscriber's own lines too, so a busy one has more than a page since `startTime`.
  const reader = new LogReader(
    {
      logGroups: async () => [{ name: logGroupName }],
      filterLogEvents: (input) => client.send(new FilterLogEventsCommand(input)),
    },
    { from: startTime },
  );
  const events = (await reader.read()).flatMap((group) => group.events);
  return events
    .map((event) => ({ timestamp: event.timestamp ?? 0, message: (event.message ?? '').trimEnd() }))
    .sort((a, b) => a.timestamp - b.timestamp)
    .map((e) => e.message)
    .filter((line) => line !== '' && (!service || serviceOfFeedLine(line) === service));
}
