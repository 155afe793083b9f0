import { randomUUID } from 'node:crypto';
import { GetFunctionConfigurationCommand } from '@aws-sdk/client-lambda';
import { GetQueueAttributesCommand } from '@aws-sdk/client-sqs';
import { beforeAll, describe, expect, it } from 'vitest';
import { ENV, rpcQueueEnv } from '../../functions/shared/env-names.js';
import { RPC_TIMEOUT_MS } from '../../functions/shared/rpc/client.js';
import { call, type Person, signUpAdmin } from './people.js';
import { drainQueue, lambda, outputs, sqs, waitFor } from './support.js';

/** An environment variable of a deployed function, e.g. the queue it calls or the DLQ it parks in. */
async function variableOf(functionName: string, name: string): Promise<string> {
  const config = await lambda.send(new GetFunctionConfigurationCommand({ FunctionName: functionName }));
  const value = config.Environment?.Variables?.[name];
  if (!value) throw new Error(`${functionName} has no ${name}`);
  return value;
}

/** Messages waiting in a queue plus those received and neither deleted nor yet visible again. */
async function messagesIn(queueUrl: string): Promise<number> {
  const { Attributes } = await sqs.send(
    new GetQueueAttributesCommand({
      QueueUrl: queueUrl,
      AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'],
    }),
  );
  return (
    Number(Attributes?.ApproximateNumberOfMessages) +
    Number(Attributes?.ApproximateNumberOfMessagesNotVisible)
  );
}

let admin: Person;
let bookingsQueue: string;
let bookingsDlq: string;
beforeAll(async () => {
  admin = await signUpAdmin();
  // The queue users call bookings on, and the one bookings parks requests in, as the functions are told them.
  bookingsQueue = await variableOf(outputs.usersFunctionName, rpcQueueEnv('bookings'));
  bookingsDlq = await variableOf(outputs.bookingsFunctionName, ENV.rpcDeadLetterQueueUrl);
});

describe('an error in an RPC call made while serving an RPC call', () => {
  it('reaches the caller with its code within the caller’s deadline, and nothing lands in the DLQ', async () => {
    // users (HTTP) -> bookings.listForUser (RPC) -> users.get (RPC): NotFound on the inner hop.
    await drainQueue(bookingsDlq);
    await drainQueue(outputs.usersRpcDlqUrl);
    const nobody = randomUUID();

    const started = Date.now();
    const response = await call('GET', `users/${nobody}/bookings`, { as: admin });
    const took = Date.now() - started;

    expect(response.status).toBe(404);
    expect(response.body).toMatchObject({ error: 'NotFound', message: `user ${nobody} not found` });
    // The caller (users) waits RPC_TIMEOUT_MS for bookings; a failure retried by SQS would be its 504 after that.
    expect(took).toBeLessThan(RPC_TIMEOUT_MS);
    // Answered, so consumed: a retried request would stay in flight for redelivery, and end in the DLQ.
    await waitFor(
      'the bookings request to be consumed',
      async () => ((await messagesIn(bookingsQueue)) === 0 ? true : undefined),
      { timeoutMs: 10_000 },
    );
    expect(await messagesIn(bookingsDlq)).toBe(0);
    expect(await messagesIn(outputs.usersRpcDlqUrl)).toBe(0);
  });
});
