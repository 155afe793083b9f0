/**
 * The local stack's CloudWatch agent: what CloudWatch does by itself on AWS
 * and MiniStack does not, done beside the running stack (never deployed):
 *   - EMF: every POLL_INTERVAL_MS it reads the new lines of every log group
 *     (FilterLogEvents from a position remembered per group, see LogReader)
 *     and records their metrics with PutMetricData (see emf.ts);
 *   - SQS: every minute it records each queue's depth as AWS/SQS
 *     ApproximateNumberOfMessages{Visible,NotVisible,Delayed} by QueueName.
 * Started and stopped with the stack by startMinistack (localstack/ministack.ts).
 */
import { CloudWatchClient, PutMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import {
  CloudWatchLogsClient,
  FilterLogEventsCommand,
  paginateDescribeLogGroups,
} from '@aws-sdk/client-cloudwatch-logs';
import { GetQueueAttributesCommand, paginateListQueues, SQSClient } from '@aws-sdk/client-sqs';
import { localClientConfig } from '../deploy.js';
import type { Log } from '../ministack.js';
import { type Datum, datumsOfLine } from './emf.js';
import { type LogGroup, LogReader, type LogsPort } from './log-reader.js';
import { MetricWriter } from './metric-writer.js';
import { QUEUE_DEPTH_METRICS, QUEUE_DEPTH_PERIOD_MS, queueDepthDatums } from './queue-depths.js';

/** How often the agent reads new log lines: a metric is in CloudWatch at most this long (plus one read) after its line. */
export const POLL_INTERVAL_MS = 1_000;

/** The longest one call to the stack may take: a tick waits on its calls, and the next tick on it. */
const REQUEST_TIMEOUT_MS = 30_000;

/** Only lines with this term are fetched: every EMF line has it, and it keeps the rest of the logs off the wire. */
const EMF_FILTER_PATTERN = '"CloudWatchMetrics"';

export interface MetricsAgent {
  /** Stops polling; resolves once a read or write in progress is done. */
  stop(): Promise<void>;
}

/** The CloudWatch Logs port of {@link LogReader} over the SDK. */
function sdkLogsPort(client: CloudWatchLogsClient): LogsPort {
  return {
    // MiniStack counts a group's stored bytes as its lines arrive: the reader skips the groups that got none.
    async logGroups() {
      const groups: LogGroup[] = [];
      for await (const page of paginateDescribeLogGroups({ client }, {}))
        for (const { logGroupName, storedBytes } of page.logGroups ?? [])
          if (logGroupName) groups.push({ name: logGroupName, storedBytes });
      return groups;
    },
    filterLogEvents: (input) => client.send(new FilterLogEventsCommand(input)),
  };
}

/** Starts the agent on the stack at `endpoint`. */
export function startMetricsAgent(endpoint: string, log: Log = console.log): MetricsAgent {
  // A call the stack never answers fails after a while, so the agent's next read still comes.
  const config = { ...localClientConfig(endpoint), requestHandler: { requestTimeout: REQUEST_TIMEOUT_MS } };
  const logs = new CloudWatchLogsClient(config);
  const cloudWatch = new CloudWatchClient(config);
  const sqs = new SQSClient(config);
  const reader = new LogReader(sdkLogsPort(logs), { filterPattern: EMF_FILTER_PATTERN, warn: log });
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> = Promise.resolve();
  let nextDepths = Date.now();
  /** The last failure reported, so a stack that stops answering is not reported every second. */
  let lastFailure = '';

  const writer = new MetricWriter((input) => cloudWatch.send(new PutMetricDataCommand(input)));
  const put = (datums: Datum[]) => writer.write(datums);

  const recordEmf = async () => {
    const datums: Datum[] = [];
    for (const { events } of await reader.read())
      for (const event of events) datums.push(...datumsOfLine(event.message ?? ''));
    await put(datums);
  };

  const recordQueueDepths = async () => {
    const timestamp = new Date();
    const datums: Datum[] = [];
    for await (const page of paginateListQueues({ client: sqs }, { MaxResults: 1000 }))
      for (const queueUrl of page.QueueUrls ?? []) {
        const { Attributes = {} } = await sqs
          .send(
            new GetQueueAttributesCommand({
              QueueUrl: queueUrl,
              AttributeNames: Object.keys(QUEUE_DEPTH_METRICS) as (keyof typeof QUEUE_DEPTH_METRICS)[],
            }),
          )
          .catch(() => ({ Attributes: undefined })); // deleted since it was listed
        datums.push(...queueDepthDatums(queueUrl, Attributes, timestamp));
      }
    await put(datums);
  };

  const tick = async () => {
    try {
      await recordEmf();
      if (Date.now() >= nextDepths) {
        // On the minute it started; a stack that kept the agent waiting gets one reading, not a catch-up.
        nextDepths += QUEUE_DEPTH_PERIOD_MS;
        if (nextDepths <= Date.now()) nextDepths = Date.now() + QUEUE_DEPTH_PERIOD_MS;
        await recordQueueDepths();
      }
      lastFailure = '';
    } catch (error) {
      const message = (error as Error).message;
      if (message !== lastFailure) log(`[metrics] ${message} (retrying every ${POLL_INTERVAL_MS / 1000} s)`);
      lastFailure = message;
    }
  };

  const schedule = (delay: number) => {
    if (stopped) return;
    // unref: the agent never keeps a process alive on its own (the stack's owner decides when it ends).
    timer = setTimeout(
      () => {
        const started = Date.now();
        // The next read starts one interval after this one started (at once if this one took longer).
        running = tick().finally(() => schedule(POLL_INTERVAL_MS - (Date.now() - started)));
      },
      Math.max(0, delay),
    ).unref();
  };
  schedule(POLL_INTERVAL_MS);

  return {
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await running;
      for (const client of [logs, cloudWatch, sqs]) client.destroy();
    },
  };
}
