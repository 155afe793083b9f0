import { randomUUID } from 'node:crypto';
import { GetQueueAttributesCommand } from '@aws-sdk/client-sqs';
import { beforeAll, describe, expect, it } from 'vitest';
import { bookingsContract } from '../../functions/bookings/contract.js';
import { RPC_TIMEOUT_MS } from '../../functions/shared/rpc/client.js';
import { usersContract } from '../../functions/users/contract.js';
import { call, type Person, signUpAdmin } from './people.js';
import { drainQueue, resources, sqs, waitFor } from './support.js';

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
const bookingsQueue = resources.rpcQueue(bookingsContract);
const bookingsDlq = resources.rpcDeadLetterQueue(bookingsContract);
const usersDlq = resources.rpcDeadLetterQueue(usersContract);
beforeAll(async () => {
  admin = await signUpAdmin();
});

describe('an error in an RPC call made while serving an RPC call', () => {
  it('reaches the caller with its code within the caller’s deadline, and nothing lands in the DLQ', async () => {
    // users (HTTP) -> bookings.listForUser (RPC) -> users.get (RPC): NotFound on the inner hop.
    await drainQueue(bookingsDlq);
    await drainQueue(usersDlq);
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
    expect(await messagesIn(usersDlq)).toBe(0);
  });
});
