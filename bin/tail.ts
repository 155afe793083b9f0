#!/usr/bin/env node
/**
 * `npm run tail`: the log feed in a terminal. Subscribes a temporary SQS queue
 * to the log-feed topic, prints every message as it arrives, and removes the
 * subscription and the queue on exit or Ctrl-C.
 *
 *   npm run tail [-- --service downcase] [--out subscriber.log] [--aws]
 *
 * Targets the local stack started by `npm start` (or AWS_ENDPOINT_URL), or
 * with --aws the stack deployed to AWS with your ordinary credentials.
 */
import { appendFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
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
import { type FeedMessage, formatFeedLine, parseFeedMessage } from '../functions/shared/log-feed/event.js';
import { resolveResources } from './deployment.js';

const { values: args } = parseArgs({
  options: {
    service: { type: 'string' },
    out: { type: 'string' },
    aws: { type: 'boolean', default: false },
    deployment: { type: 'string' },
  },
});

const say = (line: string) => process.stderr.write(`[tail] ${line}\n`);

function print(message: FeedMessage): void {
  const line = formatFeedLine(message);
  process.stdout.write(`${line}\n`);
  if (args.out) appendFileSync(args.out, `${line}\n`);
}

async function main(): Promise<void> {
  const topicArn = (await resolveResources(args)).shared('logFeedTopicArn');
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
