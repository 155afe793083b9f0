/** The queue operations RPC needs; SQS in production, an in-memory fake in unit tests. */
export interface RpcTransport {
  send(queueUrl: string, body: string): Promise<void>;
  /** Long-polls up to `waitSeconds`; returns what arrived, possibly nothing. */
  receive(queueUrl: string, waitSeconds: number): Promise<Array<{ body: string; receipt: string }>>;
  delete(queueUrl: string, receipts: string[]): Promise<void>;
  /** Creates this execution environment's reply queue; returns its URL. */
  createReplyQueue(name: string): Promise<string>;
}
