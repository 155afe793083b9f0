import { beforeEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { DeadlineExceededError, NotFoundError } from '../../../functions/shared/errors.js';
import { flushMetrics } from '../../../functions/shared/metrics.js';
import { rpcClient } from '../../../functions/shared/rpc/client.js';
import { defineContract } from '../../../functions/shared/rpc/contract.js';
import { RemoteError } from '../../../functions/shared/rpc/envelope.js';
import { rpcServer } from '../../../functions/shared/rpc/server.js';
import { type EmfDocument, sumOf, takeEmf, valuesOf } from '../../support/emf.js';
import { memoryTransport } from '../../support/memory-rpc-transport.js';

const USERS = 'memory://users-requests';
const USERS_DLQ = 'memory://users-requests-dlq';

const usersContract = defineContract('users', {
  get: { input: z.object({ id: z.string() }), output: z.object({ id: z.string() }) },
  silent: { input: z.object({}), output: z.null() },
  slow: { input: z.object({}), output: z.null() },
  crash: { input: z.object({}), output: z.null() },
});

// Caller and server run in this one process, as service `unit` (vitest.config.ts).
const SERVICE = { service: 'unit' };
const on = (operation: string) => ({ ...SERVICE, operation });

let bus: ReturnType<typeof memoryTransport>;
let client: ReturnType<typeof rpcClient>;
let written: EmfDocument[];
let seq = 0;
const options = { timeoutMs: 1000, requestId: 'req-1' };

/** Everything recorded so far, written as a function's invocation would at its end. */
const emf = () => {
  flushMetrics();
  written.push(...takeEmf());
  return written;
};
const sum = (metric: string, dimensions: Record<string, string>) => sumOf(emf(), metric, dimensions);

/** The four client-side counts of one operation. */
const callerCounts = (operation: string) => ({
  RpcCalls: sum('RpcCalls', on(operation)),
  RpcTimeouts: sum('RpcTimeouts', on(operation)),
  RpcRemoteErrors: sum('RpcRemoteErrors', on(operation)),
  latencies: valuesOf(emf(), 'RpcLatency', on(operation)).length,
});
const serverCounts = (dimensions: Record<string, string>) => ({
  RpcHandled: sum('RpcHandled', dimensions),
  RpcFailed: sum('RpcFailed', dimensions),
  RpcLate: sum('RpcLate', dimensions),
});

const request = (method: string, deadline: number) =>
  JSON.stringify({
    v: 1,
    correlationId: `c${++seq}`,
    replyTo: 'memory://nobody-waits',
    service: 'users',
    method,
    payload: { id: 'u1' },
    deadline,
    requestId: 'r',
  });

beforeEach(() => {
  flushMetrics();
  takeEmf();
  written = [];
  bus = memoryTransport();
  bus.create(USERS_DLQ);
  bus.create('memory://nobody-waits');
  bus.consume(
    USERS,
    rpcServer(
      usersContract,
      {
        get: async ({ id }) => {
          if (id !== 'u1') throw new NotFoundError(`user ${id} not found`);
          return { id };
        },
        silent: () => new Promise(() => {}),
        slow: () => new Promise((resolve) => setTimeout(() => resolve(null), 150)),
        crash: async () => Promise.reject(new Error('disk on fire')),
      },
      { transport: bus.transport, deadLetterQueueUrl: USERS_DLQ },
    ),
  );
  client = rpcClient({
    transport: bus.transport,
    services: { users: USERS },
    replyQueueName: 'Stack-rpc-reply-metrics-test',
    newId: () => `c${++seq}`,
  });
});

describe('metrics of an RPC call, on the caller’s side (operation <callee>.<method>)', () => {
  it('counts a call answered with a result, and times it', async () => {
    await client.call('users', 'get', { id: 'u1' }, options);
    expect(callerCounts('users.get')).toEqual({
      RpcCalls: 1,
      RpcTimeouts: 0,
      RpcRemoteErrors: 0,
      latencies: 1,
    });
    expect(sum('RpcCalls', SERVICE)).toBe(1);
  });

  it('counts a remote error, and times it until its reply', async () => {
    await expect(client.call('users', 'get', { id: 'nobody' }, options)).rejects.toBeInstanceOf(RemoteError);
    expect(callerCounts('users.get')).toEqual({
      RpcCalls: 1,
      RpcTimeouts: 0,
      RpcRemoteErrors: 1,
      latencies: 1,
    });
  });

  it('counts a timeout, with no latency (no reply came)', async () => {
    await expect(client.call('users', 'silent', {}, { ...options, timeoutMs: 50 })).rejects.toBeInstanceOf(
      DeadlineExceededError,
    );
    expect(callerCounts('users.silent')).toEqual({
      RpcCalls: 1,
      RpcTimeouts: 1,
      RpcRemoteErrors: 0,
      latencies: 0,
    });
    expect(sum('RpcTimeouts', SERVICE)).toBe(1);
  });

  it('keeps each operation apart: one EMF line per operation', async () => {
    await client.call('users', 'get', { id: 'u1' }, options);
    await client.call('users', 'get', { id: 'u1' }, options);
    await expect(client.call('users', 'silent', {}, { ...options, timeoutMs: 50 })).rejects.toThrow();
    expect(sum('RpcCalls', on('users.get'))).toBe(2);
    expect(valuesOf(emf(), 'RpcLatency', on('users.get'))).toHaveLength(2);
    expect(sum('RpcCalls', on('users.silent'))).toBe(1);
    expect(sum('RpcCalls', SERVICE)).toBe(3);
  });
});

describe('metrics of an RPC request, on the server’s side', () => {
  it('counts a request handled in time', async () => {
    await client.call('users', 'get', { id: 'u1' }, options);
    await expect
      .poll(() => serverCounts(on('users.get')))
      .toEqual({ RpcHandled: 1, RpcFailed: 0, RpcLate: 0 });
  });

  it('counts a request answered with an error as failed', async () => {
    await expect(client.call('users', 'get', { id: 'nobody' }, options)).rejects.toThrow();
    await expect
      .poll(() => serverCounts(on('users.get')))
      .toEqual({ RpcHandled: 1, RpcFailed: 1, RpcLate: 0 });
  });

  it('counts a request left for SQS to retry as failed', async () => {
    // Sent straight to the queue with a deadline far off: on a busy machine a caller's short wait
    // could end before the server gets to it, which would make the request late rather than failed.
    await bus.inject(USERS, request('crash', Date.now() + 60_000));
    await expect
      .poll(() => serverCounts(on('users.crash')))
      .toEqual({ RpcHandled: 1, RpcFailed: 1, RpcLate: 0 });
  });

  it('counts a request finished after its deadline as late (its caller had timed out)', async () => {
    await expect(client.call('users', 'slow', {}, { ...options, timeoutMs: 50 })).rejects.toBeInstanceOf(
      DeadlineExceededError,
    );
    await expect
      .poll(() => serverCounts(on('users.slow')))
      .toEqual({ RpcHandled: 1, RpcFailed: 0, RpcLate: 1 });
    expect(sum('RpcTimeouts', on('users.slow'))).toBe(1);
  });

  it('counts a request dropped because its deadline had passed as late', async () => {
    await bus.inject(USERS, request('get', Date.now() - 1));
    await expect
      .poll(() => serverCounts(on('users.get')))
      .toEqual({ RpcHandled: 1, RpcFailed: 0, RpcLate: 1 });
  });

  it('counts an unknown method as failed under {service} only: callers do not choose dimensions', async () => {
    await bus.inject(USERS, request('drop-tables', Date.now() + 1000));
    await expect.poll(() => serverCounts(SERVICE)).toEqual({ RpcHandled: 1, RpcFailed: 1, RpcLate: 0 });
    expect(emf().some((document) => document.operation === 'users.drop-tables')).toBe(false);
  });

  it('counts a message that is not a request (parked in the DLQ) as failed, under {service}', async () => {
    await bus.inject(USERS, 'this is not json');
    await expect.poll(() => serverCounts(SERVICE)).toEqual({ RpcHandled: 1, RpcFailed: 1, RpcLate: 0 });
  });
});
