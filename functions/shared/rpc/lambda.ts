import { randomUUID } from 'node:crypto';
import { readEnv } from '../env.js';
import { ENV, rpcQueueEnv } from '../env-names.js';
import { eventHandler } from '../event-handler.js';
import { settings } from '../live-settings.js';
import { RPC_DEADLINE_KEY } from '../settings.js';
import { rpcClient } from './client.js';
import { type Implementation, type ServiceContract, type TypedClient, typedClient } from './contract.js';
import { rpcServer } from './server.js';
import { sqsTransport } from './sqs-transport.js';

/**
 * The RPC client of this execution environment, for the services whose
 * contracts are given. Its reply queue (stack prefix, service, random id) is
 * made now, at cold start. `clientsFor(requestId)` gives one typed client per
 * contract for one request: `clientsFor(id).movies.reserveSeats({...})`.
 * Each call waits at most the live RPC deadline (`rpc/deadlineMs`), or less
 * when the caller passes a shorter `timeoutMs` (what its own deadline leaves).
 */
export function lambdaRpcClients<const C extends Record<string, ServiceContract>>(
  service: string,
  contracts: C,
) {
  const env = readEnv([
    ENV.rpcReplyQueuePrefix,
    ...Object.values(contracts).map((c) => rpcQueueEnv(c.service)),
  ]);
  const rpc = rpcClient({
    transport: sqsTransport,
    services: Object.fromEntries(
      Object.values(contracts).map((c) => [
        c.service,
        (env as Record<string, string>)[rpcQueueEnv(c.service)],
      ]),
    ) as Record<string, string>,
    replyQueueName: `${env.RPC_REPLY_QUEUE_PREFIX}${service}-${randomUUID().replaceAll('-', '').slice(0, 20)}`,
    newId: randomUUID,
  });
  rpc.warm();
  const deadlineMs = settings.watch<'deadlineMs'>(RPC_DEADLINE_KEY);
  return (requestId: string, shorterMs?: number) => {
    const timeoutMs = Math.min(shorterMs ?? Number.POSITIVE_INFINITY, deadlineMs());
    return Object.fromEntries(
      Object.entries(contracts).map(([name, contract]) => [
        name,
        typedClient(rpc, contract, { timeoutMs, requestId }),
      ]),
    ) as { [K in keyof C]: TypedClient<C[K]> };
  };
}

/**
 * The RPC server of a Lambda function: `contract` implemented by
 * `implementation`, over SQS; the live settings are refreshed before each
 * batch, and its metrics (its requests and the calls they made) are written when it ends.
 */
export function lambdaRpcServer<C extends ServiceContract>(contract: C, implementation: Implementation<C>) {
  const env = readEnv([ENV.rpcDeadLetterQueueUrl]);
  return eventHandler(
    rpcServer(contract, implementation, {
      transport: sqsTransport,
      deadLetterQueueUrl: env.RPC_DLQ_URL,
    }),
    // Each request is a span of its own, started by the server (./server.ts).
    { tracesRecords: true },
  );
}
