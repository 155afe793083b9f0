/**
 * Queue helpers shared by the e2e tests and the bench, each taking its
 * clients: draining a queue, and pausing a function's consumption of one
 * (the service behind it "down" while its requests wait in the queue).
 */
import {
  type LambdaClient,
  ListEventSourceMappingsCommand,
  UpdateEventSourceMappingCommand,
} from '@aws-sdk/client-lambda';
import {
  DeleteMessageBatchCommand,
  type Message,
  ReceiveMessageCommand,
  type SQSClient,
} from '@aws-sdk/client-sqs';

/**
 * Receives and deletes messages until the queue answers a 1-second long poll
 * with nothing, so every message that had arrived is returned; under steady
 * traffic it returns what it has after `maxMs`.
 */
export async function drainQueue(sqs: SQSClient, queueUrl: string, maxMs = 30_000): Promise<Message[]> {
  const drained: Message[] = [];
  const until = Date.now() + maxMs;
  for (;;) {
    const { Messages = [] } = await sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: queueUrl,
        MaxNumberOfMessages: 10,
        WaitTimeSeconds: 1,
        MessageAttributeNames: ['All'],
      }),
    );
    if (Messages.length === 0) return drained;
    drained.push(...Messages);
    await sqs.send(
      new DeleteMessageBatchCommand({
        QueueUrl: queueUrl,
        Entries: Messages.map((m, i) => ({ Id: String(i), ReceiptHandle: m.ReceiptHandle ?? '' })),
      }),
    );
    if (Date.now() > until) return drained;
  }
}

/** Turns a function's consumption of the queue whose ARN contains `queueFragment` on or off. */
export async function queueConsumer(lambda: LambdaClient, functionName: string, queueFragment: string) {
  const { EventSourceMappings = [] } = await lambda.send(
    new ListEventSourceMappingsCommand({ FunctionName: functionName }),
  );
  const uuid = EventSourceMappings.find((m) => m.EventSourceArn?.includes(queueFragment))?.UUID;
  if (!uuid) throw new Error(`no event source mapping of ${functionName} on *${queueFragment}*`);
  const set = async (Enabled: boolean) => {
    await lambda.send(new UpdateEventSourceMappingCommand({ UUID: uuid, Enabled }));
  };
  return {
    set,
    /** Runs `during` with consumption paused, and turns it back on whatever happens. */
    async pausedDuring<T>(during: () => Promise<T>): Promise<{ result: T; restoredAt: number }> {
      await set(false);
      try {
        return { result: await during(), restoredAt: Date.now() };
      } finally {
        await set(true);
      }
    },
  };
}
