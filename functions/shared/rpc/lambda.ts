import { randomUUID } from 'node:crypto';
import type { SQSEvent } from 'aws-lambda';
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

/** True for an SQS event-source batch (an RPC delivery) rather than an API Gateway request. */
export function isSqsEvent(event: unknown): event is SQSEvent {
  const records = (event as { Records?: Array<{ eventSource?: string }> } | null)?.Records;
  return Array.isArray(records) && records.every((record) => record.eventSource === 'aws:sqs');
}
