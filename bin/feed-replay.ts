/**
 * The log feed's past, for `npm run tail -- --since 10m`: the lines the
 * feed's durable subscriber wrote to its log group (one per message, in the
 * format `tail` prints), from a time on. The archive queue keeps every
 * message too, but a queue cannot be read by time, and reading it would
 * count towards its messages' dead-lettering; the subscriber's log group is
 * the archive in time order.
 */
import { type CloudWatchLogsClient, FilterLogEventsCommand } from '@aws-sdk/client-cloudwatch-logs';

/** The service named by a feed line (`<timestamp> <service> <type> <requestId> <data>`). */
export const serviceOfFeedLine = (line: string): string | undefined => line.split(' ')[1];

/** Every feed line since `startTime`, oldest first; only `service`'s when given. */
export async function feedLinesSince(
  client: CloudWatchLogsClient,
  logGroupName: string,
  startTime: number,
  service?: string,
): Promise<string[]> {
  const events: { timestamp: number; message: string }[] = [];
  let nextToken: string | undefined;
  do {
    const page = await client.send(new FilterLogEventsCommand({ logGroupName, startTime, nextToken }));
    for (const event of page.events ?? [])
      events.push({ timestamp: event.timestamp ?? 0, message: (event.message ?? '').trimEnd() });
    nextToken = page.nextToken;
  } while (nextToken);
  return events
    .sort((a, b) => a.timestamp - b.timestamp)
    .map((e) => e.message)
    .filter((line) => line !== '' && (!service || serviceOfFeedLine(line) === service));
}
