import type { SQSEvent } from 'aws-lambda';
import type { RpcTransport } from '../../functions/shared/rpc/transport.js';

type Handler = (event: SQSEvent) => Promise<{ batchItemFailures: Array<{ itemIdentifier: string }> }>;

/**
 * In-memory queues. Messages sent to a queue with a consumer are delivered to
 * it in shuffled batches, as SQS does not keep order; failed items are counted.
 */
export function memoryTransport() {
  const queues = new Map<string, string[]>();
  const consumers = new Map<string, Handler>();
  const failed: string[] = [];
  const created: string[] = [];
  let nextId = 0;
  const queue = (url: string) => {
    const found = queues.get(url);
    if (!found) throw new Error(`queue ${url} does not exist`);
    return found;
  };
  const create = (url: string) => queues.get(url) ?? (queues.set(url, []).get(url) as string[]);

  async function pump(url: string, handler: Handler) {
    const waiting = queue(url).splice(0);
    waiting.sort(() => Math.random() - 0.5);
    for (let i = 0; i < waiting.length; i += 10) {
      const batch = waiting.slice(i, i + 10).map((body) => ({ messageId: `m${++nextId}`, body }));
      const result = await handler({ Records: batch } as unknown as SQSEvent);
      const ids = new Set(result.batchItemFailures.map((f) => f.itemIdentifier));
      failed.push(...batch.filter((m) => ids.has(m.messageId)).map((m) => m.body));
    }
  }

  const transport: RpcTransport = {
    async send(url, body) {
      queue(url).push(body);
      const consumer = consumers.get(url);
      if (consumer) setTimeout(() => void pump(url, consumer), Math.random() * 5);
    },
    async receive(url, waitSeconds) {
      const deadline = Date.now() + waitSeconds * 1000;
      while ((queues.get(url)?.length ?? 0) === 0 && Date.now() < deadline)
        await new Promise((r) => setTimeout(r, 2));
      return queue(url)
        .splice(0, 10)
        .map((body) => ({ body, receipt: body }));
    },
    async delete() {},
    async createReplyQueue(name) {
      created.push(name);
      create(`memory://${name}`);
      return `memory://${name}`;
    },
    async touch(url) {
      return queues.has(url);
    },
  };

  return {
    transport,
    failed,
    /** Names of the reply queues created. */
    created,
    /** Removes a queue, as the janitor would. */
    removeQueue: (url: string) => queues.delete(url),
    /** Lets `handler` consume `url`, as an event source mapping would. */
    consume: (url: string, handler: Handler) => {
      create(url);
      consumers.set(url, handler);
    },
    /** Puts a raw message on a queue and delivers it. */
    inject: (url: string, body: string) => transport.send(url, body),
    pending: (url: string) => queues.get(url)?.length ?? 0,
    /** Makes a queue that nothing consumes (e.g. a caller's reply queue in a test). */
    create,
  };
}
