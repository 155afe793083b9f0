/**
 * RPC benchmark: round trips of `users.get` over SQS request/reply at 1 and 8
 * concurrent callers, beside a direct Lambda invoke of the users function for
 * the same lookup (no queues) in the same run; and booking requests per second
 * at 8 concurrent clients through the API (each booking makes two RPC calls).
 */
import { randomUUID } from 'node:crypto';
import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { rpcClient } from '../../functions/shared/rpc/client.js';
import { sqsTransport } from '../../functions/shared/rpc/sqs-transport.js';
import type { Deployment } from '../../lib/stack-outputs.js';
import { percentile } from './stats.js';

async function timed(clients: number, total: number, run: (i: number) => Promise<unknown>) {
  const latencies: number[] = [];
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: clients }, async () => {
      while (next < total) {
        const i = next++;
        const t0 = performance.now();
        await run(i);
        latencies.push(performance.now() - t0);
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  return { p50: percentile(latencies, 50), p99: percentile(latencies, 99), perSecond: total / seconds };
}

const post = async (url: string, body: unknown) => {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
};

export async function bookingBench(deployment: Deployment, check: (target: string, ok: boolean) => void) {
  const api = deployment.apiBaseUrl;
  const user = await post(`${api}users`, { name: 'Bench', email: 'bench@example.com' });
  const movie = await post(`${api}movies`, {
    title: 'Bench',
    rating: 5,
    showtimes: [{ startsAt: '2026-12-24T20:00:00Z', seats: 10_000 }],
  });
  const userId = String(user.body.id);
  const showtimeId = String((movie.body.showtimes as Array<{ id: string }>)[0]?.id);

  const rpc = rpcClient({
    transport: sqsTransport,
    services: { users: deployment.outputs.usersRpcQueueUrl },
    replyQueueName: `bench-rpc-reply-${randomUUID()}`,
    newId: randomUUID,
  });
  const lambda = new LambdaClient({ requestHandler: { requestTimeout: 30_000 } });
  const viaRpc = () => rpc.call('users', 'get', { id: userId }, { timeoutMs: 10_000, requestId: 'bench' });
  const direct = async () => {
    const result = await lambda.send(
      new InvokeCommand({
        FunctionName: deployment.outputs.usersFunctionName,
        Payload: JSON.stringify({
          httpMethod: 'GET',
          resource: '/users/{id}',
          path: `/users/${userId}`,
          pathParameters: { id: userId },
          requestContext: { requestId: 'bench' },
        }),
      }),
    );
    if (result.FunctionError) throw new Error(`direct invoke failed: ${result.FunctionError}`);
  };
  await timed(4, 40, viaRpc);
  await timed(4, 40, direct);

  console.log('\nRPC over SQS: users.get round trip, beside a direct Lambda invoke of the same lookup');
  console.log('  callers | RPC p50 / p99 / calls/s             | direct invoke p50 / p99 / calls/s');
  for (const [clients, total] of [
    [1, 100],
    [8, 400],
  ] as const) {
    const overRpc = await timed(clients, total, viaRpc);
    const overInvoke = await timed(clients, total, direct);
    console.log(
      `  ${String(clients).padEnd(7)} | ${overRpc.p50.toFixed(1)} / ${overRpc.p99.toFixed(1)} ms / ${overRpc.perSecond.toFixed(0)}`.padEnd(
        48,
      ) +
        `| ${overInvoke.p50.toFixed(1)} / ${overInvoke.p99.toFixed(1)} ms / ${overInvoke.perSecond.toFixed(0)}`,
    );
  }

  let failed = 0;
  const bookings = await timed(8, 200, async () => {
    const response = await post(`${api}bookings`, {
      userId,
      movieId: String(movie.body.id),
      showtimeId,
      seats: 1,
    });
    if (response.status !== 201) failed += 1;
  });
  console.log(
    `\nbookings through the API at 8 clients: ${bookings.perSecond.toFixed(1)} req/s, p50 ${bookings.p50.toFixed(0)} ms, p99 ${bookings.p99.toFixed(0)} ms`,
  );
  check('bookings: every one of 200 benchmark bookings succeeded', failed === 0);
}
