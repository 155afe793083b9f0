import { DeadlineExceededError } from '../errors.js';
import { recordMetric } from '../metrics.js';
import { METRIC } from '../metrics-catalog.js';
import { formatTraceparent } from '../trace/context.js';
import { inSpan } from '../trace/span.js';
import { parseReply, RemoteError, type RpcReply, type RpcRequest } from './envelope.js';
import type { RpcTransport } from './transport.js';

export interface RpcClientOptions {
  transport: RpcTransport;
  /** Request queue URL of every service this client may call. */
  services: Readonly<Record<string, string>>;
  /**
   * Unique per execution environment, starting with the stack's reply-queue
   * prefix (see `replyQueuePrefix`), e.g. `Microservices-rpc-reply-bookings-<id>`.
   */
  replyQueueName: string;
  newId: () => string;
  now?: () => number;
}

export interface CallOptions {
  timeoutMs: number;
  requestId: string;
}

interface Pending {
  resolve: (result: unknown) => void;
  reject: (error: Error) => void;
  service: string;
  method: string;
}

/** How long a service waits for another: well under API Gateway's 29 s, so silence becomes our 504, not the gateway's. */
export const RPC_TIMEOUT_MS = 5_000;

/**
 * The timeout of a function that calls another service on its request path: the call's
 * RPC_TIMEOUT_MS plus 10 s for the rest of its work, so a silent service is our 504, never a
 * Lambda timeout. 10 s, not less: a burst of cold starts on a busy two-core machine (50 bookings
 * at once, or signups beside every e2e file) took longer than 5 s more.
 */
export const RPC_CALLER_TIMEOUT_SECONDS = Math.ceil(RPC_TIMEOUT_MS / 1000) + 10;

/** What a call made while serving a request leaves of that request's time for the reply to travel back. */
export const REPLY_MARGIN_MS = 500;

/**
 * The timeout of a call made while serving a request due by `deadline`: it
 * gives up early enough that its failure, a typed Timeout, still reaches the
 * request's caller before that caller stops waiting.
 */
export function timeoutWithin(deadline: number, now = Date.now()): number {
  return Math.max(0, Math.min(RPC_TIMEOUT_MS, deadline - now - REPLY_MARGIN_MS));
}

/** How often a busy client refreshes its reply queue's heartbeat. */
export const HEARTBEAT_INTERVAL_MS = 60_000;

/**
 * Nameko-like RPC over SQS. Every call carries a correlation id, the caller's
 * reply queue and a deadline. One poll loop per client reads the reply queue
 * while calls are pending and settles each call by correlation id, so
 * concurrent calls never receive each other's replies; replies nobody waits
 * for any more (their call timed out) are deleted.
 */
export function rpcClient({ transport, services, replyQueueName, newId, now = Date.now }: RpcClientOptions) {
  let replyQueue: Promise<string> | undefined;
  let generation = 0;
  let lastTouched = 0;
  const pending = new Map<string, Pending>();
  let polling = false;

  /**
   * The reply queue, created on first use. While in use its heartbeat is
   * refreshed; if the janitor removed it (this environment sat idle), a new
   * one is made under a new name (SQS keeps a deleted name for 60 s).
   */
  const ensureReplyQueue = async (): Promise<string> => {
    if (replyQueue && now() - lastTouched > HEARTBEAT_INTERVAL_MS) {
      const url = await replyQueue;
      if (pending.size === 0 && !(await transport.touch(url))) replyQueue = undefined;
      lastTouched = now();
    }
    if (!replyQueue) {
      const name = `${replyQueueName}${generation > 0 ? `-${generation}` : ''}`;
      generation += 1;
      lastTouched = now();
      replyQueue = transport.createReplyQueue(name).catch((error: unknown) => {
        replyQueue = undefined;
        throw error;
      });
    }
    return replyQueue;
  };

  function settle(reply: RpcReply): void {
    const call = pending.get(reply.correlationId);
    if (!call) return;
    pending.delete(reply.correlationId);
    if (reply.ok) call.resolve(reply.result);
    else
      call.reject(
        new RemoteError(call.service, call.method, reply.error.code, reply.error.message, reply.error.fields),
      );
  }

  async function poll(): Promise<void> {
    try {
      while (pending.size > 0 && replyQueue) {
        // Read each time round: the queue may have been replaced since the loop began.
        const queueUrl = await replyQueue;
        const messages = await transport.receive(queueUrl, 1);
        for (const message of messages) {
          try {
            settle(parseReply(message.body));
          } catch {
            // Not a reply: nothing waits for it; deleting it keeps the queue clean.
          }
        }
        if (messages.length > 0)
          await transport.delete(
            queueUrl,
            messages.map((m) => m.receipt),
          );
      }
    } catch (error) {
      for (const [id, call] of pending) {
        pending.delete(id);
        call.reject(error instanceof Error ? error : new Error(String(error)));
      }
    } finally {
      polling = false;
    }
  }

  /** Sends one request and waits for its reply, until its deadline. */
  async function send<T>(
    service: string,
    method: string,
    payload: unknown,
    options: CallOptions,
    traceparent: string,
  ): Promise<T> {
    const queueUrl = services[service];
    if (!queueUrl) throw new Error(`no RPC queue configured for service "${service}"`);
    const replyTo = await ensureReplyQueue();
    const correlationId = newId();
    const request: RpcRequest = {
      v: 1,
      correlationId,
      replyTo,
      service,
      method,
      payload,
      deadline: now() + options.timeoutMs,
      requestId: options.requestId,
      traceparent,
    };
    const result = new Promise<unknown>((resolve, reject) => {
      const timer = setTimeout(() => {
        if (pending.delete(correlationId)) {
          reject(
            new DeadlineExceededError(`${service}.${method} did not answer within ${options.timeoutMs} ms`),
          );
        }
      }, options.timeoutMs);
      pending.set(correlationId, {
        service,
        method,
        resolve: (value) => {
          clearTimeout(timer);
          resolve(value);
        },
        reject: (error) => {
          clearTimeout(timer);
          reject(error);
        },
      });
    });
    try {
      await transport.send(queueUrl, JSON.stringify(request));
    } catch (error) {
      pending.get(correlationId)?.reject(error instanceof Error ? error : new Error(String(error)));
    }
    if (!polling) {
      polling = true;
      void poll();
    }
    return result as Promise<T>;
  }

  return {
    /**
     * Makes the reply queue now (at cold start) rather than on the first
     * call, so a new queue's first second of unavailability is spent before
     * anyone waits on it. Failures are left for the first call to retry.
     */
    warm(): void {
      ensureReplyQueue().catch(() => undefined);
    },

    /**
     * Calls `service.method(payload)`; resolves with the result or rejects
     * with RemoteError / DeadlineExceededError. Each call is measured under
     * `operation=<service>.<method>`: RpcCalls, RpcLatency (until its reply, a
     * result or an error), RpcTimeouts and RpcRemoteErrors (1 or 0). Each call
     * is a CLIENT span, which the envelope names as the server span's parent;
     * a timeout or a remote error ends it as an error with its code.
     */
    async call<T = unknown>(
      service: string,
      method: string,
      payload: unknown,
      options: CallOptions,
    ): Promise<T> {
      const by = { operation: `${service}.${method}` };
      const started = now();
      recordMetric(METRIC.rpcCalls, 1, by);
      const outcome = (replied: boolean, timedOut: boolean, remoteError: boolean) => {
        if (replied) recordMetric(METRIC.rpcLatency, now() - started, by);
        recordMetric(METRIC.rpcTimeouts, timedOut ? 1 : 0, by);
        recordMetric(METRIC.rpcRemoteErrors, remoteError ? 1 : 0, by);
      };
      return inSpan(
        `${service}.${method}`,
        'CLIENT',
        async (span) => {
          try {
            const result = await send<T>(service, method, payload, options, formatTraceparent(span));
            outcome(true, false, false);
            return result;
          } catch (error) {
            const remote = error instanceof RemoteError;
            outcome(remote, error instanceof DeadlineExceededError, remote);
            throw error;
          }
        },
        { attributes: { 'rpc.service': service, 'rpc.method': method, requestId: options.requestId } },
      );
    },
  };
}
