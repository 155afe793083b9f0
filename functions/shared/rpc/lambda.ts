import { randomUUID } from 'node:crypto';
import type { Context, SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { rpcQueueEnv } from '../env-names.js';
import { rpcClient } from './client.js';
import { sqsTransport } from './sqs-transport.js';

/** The RPC client of this execution environment; its reply queue is named after `service` and a random id. */
export function lambdaRpcClient(service: string, callees: readonly string[]) {
  const services = Object.fromEntries(
    callees.map((callee) => {
      const url = process.env[rpcQueueEnv(callee)];
      if (!url) throw new Error(`Missing required environment variable: ${rpcQueueEnv(callee)}`);
      return [callee, url];
    }),
  );
  return rpcClient({
    transport: sqsTransport,
    services,
    instanceName: `${service}-${randomUUID()}`,
    newId: randomUUID,
  });
}

/** How long a service waits for another: well under API Gateway's 29 s, so silence becomes our 504, not the gateway's. */
export const RPC_TIMEOUT_MS = 5_000;

/** True for an SQS event-source batch (an RPC delivery) rather than an API Gateway request. */
export function isSqsEvent(event: unknown): event is SQSEvent {
  const records = (event as { Records?: Array<{ eventSource?: string }> } | null)?.Records;
  return Array.isArray(records) && records.every((record) => record.eventSource === 'aws:sqs');
}

/**
 * The entry point of a service that answers both API Gateway and its RPC
 * queue: RPC deliveries go to the server, everything else to the HTTP chain.
 */
export function httpAndRpcHandler<E, R>(
  http: (event: E, context: Context) => Promise<R>,
  rpc: (event: SQSEvent) => Promise<SQSBatchResponse>,
) {
  return (event: E | SQSEvent, context: Context) =>
    isSqsEvent(event) ? rpc(event) : http(event as E, context);
}
