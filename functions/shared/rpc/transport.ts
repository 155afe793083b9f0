/** The queue operations RPC needs; SQS in production, an in-memory fake in unit tests. */
export interface RpcTransport {
  send(queueUrl: string, body: string): Promise<void>;
  /** Long-polls up to `waitSeconds`; returns what arrived, possibly nothing. */
  receive(queueUrl: string, waitSeconds: number): Promise<Array<{ body: string; receipt: string }>>;
  delete(queueUrl: string, receipts: string[]): Promise<void>;
  /** Creates this execution environment's reply queue, tagged with a heartbeat; returns its URL. */
  createReplyQueue(name: string): Promise<string>;
  /** Refreshes a reply queue's heartbeat tag; false if the queue is gone (the janitor removed it). */
  touch(queueUrl: string): Promise<boolean>;
}

/** Tag holding the ISO time a reply queue was last used; the janitor deletes queues idle for long. */
export const HEARTBEAT_TAG = 'heartbeat';

/**
 * Names of a stack's reply queues start with this, so its janitor (and its
 * IAM grants) reach only its own stack's queues, never another deployment's
 * in the same account.
 */
export const replyQueuePrefix = (stackName: string) => `${stackName}-rpc-reply-`;
