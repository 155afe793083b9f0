#!/usr/bin/env node
/**
 * `npm run dlq`: what sits in every dead-letter queue of the stack (count,
 * oldest message's age, the first few bodies), and `--redrive <queue>` to
 * move a DLQ's messages back to the queue they came from.
 *
 *   npm run dlq [-- --redrive <dlq name or URL>] [--aws] [--deployment file]
 *
 * Targets the local stack started by `npm start` (or AWS_ENDPOINT_URL), or
 * with --aws the stack deployed to AWS with your ordinary credentials.
 */
import { parseArgs } from 'node:util';
import {
  DeleteMessageBatchCommand,
  GetQueueAttributesCommand,
  ListQueuesCommand,
  type Message,
  ReceiveMessageCommand,
  SendMessageBatchCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import { replyQueuePrefix } from '../functions/shared/rpc/transport.js';
import { STACK_NAME } from '../lib/stack-outputs.js';
import { resolveResources } from './deployment.js';

const { values: args } = parseArgs({
  options: {
    redrive: { type: 'string' },
    aws: { type: 'boolean', default: false },
    deployment: { type: 'string' },
    peek: { type: 'string', default: '3' },
  },
});

interface DeadLetterQueue {
  url: string;
  name: string;
  arn: string;
  count: number;
  /** Queues whose redrive policy sends here. */
  sources: string[];
}

const nameOf = (url: string) => url.split('/').pop() ?? url;

/** The stack's queues (its name prefixes them), paired DLQ -> source queues through their redrive policies. */
async function deadLetterQueues(sqs: SQSClient): Promise<DeadLetterQueue[]> {
  const urls: string[] = [];
  let NextToken: string | undefined;
  do {
    const page = await sqs.send(
      new ListQueuesCommand({ QueueNamePrefix: STACK_NAME, NextToken, MaxResults: 1000 }),
    );
    urls.push(
      ...(page.QueueUrls ?? []).filter((url) => !nameOf(url).startsWith(replyQueuePrefix(STACK_NAME))),
    );
    NextToken = page.NextToken;
  } while (NextToken);
  const queues = await Promise.all(
    urls.map(async (url) => {
      const { Attributes = {} } = await sqs.send(
        new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['All'] }),
      );
      const target = Attributes.RedrivePolicy
        ? (JSON.parse(Attributes.RedrivePolicy) as { deadLetterTargetArn?: string }).deadLetterTargetArn
        : undefined;
      return {
        url,
        arn: Attributes.QueueArn ?? '',
        count: Number(Attributes.ApproximateNumberOfMessages ?? 0),
        target,
      };
    }),
  );
  return queues
    .filter((q) => queues.some((other) => other.target === q.arn))
    .map((q) => ({
      url: q.url,
      name: nameOf(q.url),
      arn: q.arn,
      count: q.count,
      sources: queues.filter((other) => other.target === q.arn).map((other) => other.url),
    }))
    .sort((a, b) => a.name.localeCompare(b.name));
}

/** Looks at the first messages without taking them (visibility 0: they stay available). */
async function peek(sqs: SQSClient, url: string, max: number): Promise<Message[]> {
  const { Messages = [] } = await sqs.send(
    new ReceiveMessageCommand({
      QueueUrl: url,
      MaxNumberOfMessages: Math.min(10, Math.max(1, max)),
      VisibilityTimeout: 0,
      MessageSystemAttributeNames: ['SentTimestamp'],
    }),
  );
  return Messages;
}

/** Moves every message of `dlq` back to its source queue; returns how many. */
async function redrive(sqs: SQSClient, dlq: DeadLetterQueue): Promise<number> {
  const [source, ...others] = dlq.sources;
  if (!source || others.length > 0)
    throw new Error(`${dlq.name} is the DLQ of ${dlq.sources.length} queues; expected 1`);
  let moved = 0;
  for (;;) {
    const { Messages = [] } = await sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: dlq.url,
        MaxNumberOfMessages: 10,
        WaitTimeSeconds: 1,
        VisibilityTimeout: 30,
      }),
    );
    if (Messages.length === 0) return moved;
    const sent = await sqs.send(
      new SendMessageBatchCommand({
        QueueUrl: source,
        Entries: Messages.map((m, i) => ({ Id: String(i), MessageBody: m.Body ?? '' })),
      }),
    );
    const ok = new Set((sent.Successful ?? []).map((s) => s.Id));
    const done = Messages.filter((_, i) => ok.has(String(i)));
    if (done.length > 0) {
      await sqs.send(
        new DeleteMessageBatchCommand({
          QueueUrl: dlq.url,
          Entries: done.map((m, i) => ({ Id: String(i), ReceiptHandle: m.ReceiptHandle ?? '' })),
        }),
      );
    }
    moved += done.length;
    if (done.length < Messages.length)
      throw new Error(`${Messages.length - done.length} message(s) could not be sent back`);
  }
}

async function main(): Promise<void> {
  // Points the SDK at the local stack (or, with --aws, checks the stack exists on AWS).
  await resolveResources(args);
  const sqs = new SQSClient({});
  const dlqs = await deadLetterQueues(sqs);
  if (args.redrive) {
    const wanted = args.redrive;
    const dlq =
      dlqs.find((q) => q.url === wanted || q.name === wanted) ?? dlqs.find((q) => q.name.includes(wanted));
    if (!dlq) throw new Error(`no dead-letter queue of stack ${STACK_NAME} matches "${wanted}"`);
    const moved = await redrive(sqs, dlq);
    console.log(`moved ${moved} message(s) from ${dlq.name} back to ${dlq.sources.map(nameOf).join(', ')}`);
    return;
  }
  const now = Date.now();
  for (const dlq of dlqs) {
    const first = dlq.count > 0 ? await peek(sqs, dlq.url, Number(args.peek)) : [];
    const sent = first.map((m) => Number(m.Attributes?.SentTimestamp ?? now));
    const oldest = sent.length > 0 ? `${Math.round((now - Math.min(...sent)) / 1000)} s` : '-';
    console.log(
      `${dlq.name}  messages: ${dlq.count}  oldest seen: ${oldest}  (from ${dlq.sources.map(nameOf).join(', ')})`,
    );
    for (const message of first) console.log(`    ${(message.Body ?? '').slice(0, 400)}`);
  }
  if (dlqs.length === 0) console.log(`stack ${STACK_NAME} has no dead-letter queues`);
}

main().catch((error: unknown) => {
  console.error(`[dlq] ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
