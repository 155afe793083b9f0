#!/usr/bin/env node
/**
 * `npm run tail`: the log feed in a terminal. Subscribes a temporary SQS queue
 * to the log-feed topic, prints every message as it arrives, and removes the
 * subscription and the queue on exit or Ctrl-C. With `--since 10m` it first
 * prints the feed's messages of the last ten minutes, from the lines the
 * feed's durable subscriber keeps (./feed-replay.ts), then follows live.
 *
 *   npm run tail [-- --service downcase] [--since 10m] [--out subscriber.log] [--aws]
 *
 * Targets the local stack started by `npm start` (or AWS_ENDPOINT_URL), or
 * with --aws the stack deployed to AWS with your ordinary credentials.
 */
import { appendFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import { SNSClient, SubscribeCommand, UnsubscribeCommand } from '@aws-sdk/client-sns';
import {
  CreateQueueCommand,
  DeleteMessageBatchCommand,
  DeleteQueueCommand,
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  SetQueueAttributesCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import { logFeedService } from '../functions/log-feed/service.js';
import { DURATION_RULE, parseDuration } from '../functions/shared/dashboard/duration.js';
import { type FeedMessage, formatFeedLine, parseFeedMessage } from '../functions/shared/log-feed/event.js';
import { resolveResources } from './deployment.js';
import { feedLinesSince } from './feed-replay.js';

const { values: args } = parseArgs({
  options: {
    service: { type: 'string' },
    out: { type: 'string' },
    since: { type: 'string' },
    aws: { type: 'boolean', default: false },
    deployment: { type: 'string' },
  },
});

const say = (line: string) => process.stderr.write(`[tail] ${line}\n`);

/** Lines printed by the replay: the same message arriving live is not printed twice. */
const replayed = new Set<string>();

function printLine(line: string): void {
  process.stdout.write(`${line}\n`);
  if (args.out) appendFileSync(args.out, `${line}\n`);
}

function print(message: FeedMessage): void {
  const line = formatFeedLine(message);
  if (replayed.delete(line)) return;
  printLine(line);
}

async function main(): Promise<void> {
  const sinceSeconds = args.since === undefined ? undefined : parseDuration(args.since);
  if (args.since !== undefined && sinceSeconds === undefined)
    throw new Error(`--since ${DURATION_RULE} (got "${args.since}")`);
  const resources = await resolveResources(args);
  const topicArn = resources.shared('logFeedTopicArn');
  const sqs = new SQSClient({});
  const sns = new SNSClient({});

  const queueName = `log-feed-tail-${process.pid}-${Date.now().toString(36)}`;
  const { QueueUrl: queueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: queueName }));
  if (!queueUrl) throw new Error('CreateQueue returned no URL');
  let subscriptionArn: string | undefined;
  let stopping = false;
  const poll = new AbortController();

  const cleanUp = async (reason: string, exitCode = 0) => {
    if (stopping) return;
    stopping = true;
    poll.abort();
    say(`${reason}: removing the subscription and queue ${queueName} ...`);
    if (subscriptionArn) await sns.send(new UnsubscribeCommand({ SubscriptionArn: subscriptionArn }));
    await sqs.send(new DeleteQueueCommand({ QueueUrl: queueUrl }));
    say('cleaned up');
    process.exit(exitCode);
  };
  process.once('SIGINT', () => void cleanUp('Ctrl-C'));
  process.once('SIGTERM', () => void cleanUp('SIGTERM'));

  try {
    const { Attributes } = await sqs.send(
      new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ['QueueArn'] }),
    );
    const queueArn = Attributes?.QueueArn;
    if (!queueArn) throw new Error('queue has no ARN');
    await sqs.send(
      new SetQueueAttributesCommand({
        QueueUrl: queueUrl,
        Attributes: { Policy: JSON.stringify(sendFromTopicPolicy(queueArn, topicArn)) },
      }),
    );
    const subscription = await sns.send(
      new SubscribeCommand({
        TopicArn: topicArn,
        Protocol: 'sqs',
        Endpoint: queueArn,
        ReturnSubscriptionArn: true,
        Attributes: {
          RawMessageDelivery: 'true',
          ...(args.service ? { FilterPolicy: JSON.stringify({ service: [args.service] }) } : {}),
        },
      }),
    );
    subscriptionArn = subscription.SubscriptionArn;
    say(`subscribed to ${topicArn}${args.service ? ` (service = ${args.service})` : ''}; Ctrl-C to stop`);
    if (sinceSeconds !== undefined) {
      // Subscribed first, so nothing published meanwhile is missed; what both show is printed once.
      const lines = await feedLinesSince(
        new CloudWatchLogsClient({}),
        resources.logGroup(logFeedService, 'subscriber'),
        Date.now() - sinceSeconds * 1000,
        args.service,
      );
      say(`${lines.length} message(s) of the last ${args.since}, then live:`);
      for (const line of lines) {
        printLine(line);
        replayed.add(line);
      }
    }

    while (!stopping) {
      const { Messages = [] } = await sqs.send(
        new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 20 }),
        { abortSignal: poll.signal },
      );
      const received = Messages.flatMap((m) => {
        try {
          return [parseFeedMessage(m.Body ?? '')];
        } catch {
          say(`skipped a message that is not a log-feed message: ${m.Body}`);
          return [];
        }
      });
      for (const message of received.sort((a, b) => a.timestamp.localeCompare(b.timestamp))) print(message);
      if (Messages.length > 0) {
        await sqs.send(
          new DeleteMessageBatchCommand({
            QueueUrl: queueUrl,
            Entries: Messages.map((m, i) => ({ Id: String(i), ReceiptHandle: m.ReceiptHandle ?? '' })),
          }),
        );
      }
    }
  } catch (error) {
    if (stopping) return;
    say(`error: ${error instanceof Error ? error.message : String(error)}`);
    await cleanUp('error', 1);
  }
}

/** Queue policy letting only the log-feed topic send to the tail queue. */
function sendFromTopicPolicy(queueArn: string, topicArn: string) {
  return {
    Version: '2012-10-17',
    Statement: [
      {
        Effect: 'Allow',
        Principal: { Service: 'sns.amazonaws.com' },
        Action: 'sqs:SendMessage',
        Resource: queueArn,
        Condition: { ArnEquals: { 'aws:SourceArn': topicArn } },
      },
    ],
  };
}

main().catch((error: unknown) => {
  say(`error: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
