/**
 * RPC contracts: a service declares its methods once (name, input schema,
 * output schema). The server is built from the declaration, callers get a
 * typed client from it, and both sides validate against it, so renaming a
 * field fails `npm run typecheck`, not a request at run time. Pure: no AWS.
 */
import { safeParse } from 'zod/mini';
import type * as z from 'zod/v4/core';
import '../zod-locale.js';
import type { CallOptions } from './client.js';
import { RemoteError, type RpcRequest } from './envelope.js';

/** One method: what it takes and what it answers. */
export interface MethodContract {
  input: z.$ZodType;
  output: z.$ZodType;
}

export interface ServiceContract<M extends Record<string, MethodContract> = Record<string, MethodContract>> {
  service: string;
  methods: M;
}

/** Declares a service's methods, keeping every schema's type. */
/* @__NO_SIDE_EFFECTS__ */
export function defineContract<const M extends Record<string, MethodContract>>(
  service: string,
  methods: M,
): ServiceContract<M> {
  return { service, methods };
}

type Methods<C extends ServiceContract> = C['methods'];

/** What a caller passes to `method`. */
export type InputOf<C extends ServiceContract, K extends keyof Methods<C>> = z.input<Methods<C>[K]['input']>;
/** What a caller gets back from `method`, after validation. */
export type OutputOf<C extends ServiceContract, K extends keyof Methods<C>> = z.output<
  Methods<C>[K]['output']
>;

/** What a method's implementation knows of the request it serves. */
export interface RpcContext {
  /** The API request id, for logs, feed events and the calls it makes in turn. */
  requestId: string;
  /** Epoch milliseconds after which the caller no longer waits; calls it makes in turn must end before. */
  deadline: number;
}

/** The server side: one function per declared method, typed by the contract. */
export type Implementation<C extends ServiceContract> = {
  [K in keyof Methods<C>]: (
    input: z.output<Methods<C>[K]['input']>,
    context: RpcContext,
  ) => Promise<z.input<Methods<C>[K]['output']>>;
};

/** The caller side: `movies.reserveSeats({...})`. */
export type TypedClient<C extends ServiceContract> = {
  [K in keyof Methods<C>]: (input: InputOf<C, K>) => Promise<OutputOf<C, K>>;
};

/** The untyped call a typed client is built on (see `rpcClient`). */
export interface RpcCaller {
  call(service: string, method: string, payload: unknown, options: CallOptions): Promise<unknown>;
}

/**
 * A typed client of `contract` over `rpc`: each method sends its input and
 * validates the reply against the declared output (a mismatch is a remote
 * `InternalError`, never a wrongly typed value).
 */
export function typedClient<C extends ServiceContract>(
  rpc: RpcCaller,
  contract: C,
  options: CallOptions,
): TypedClient<C> {
  return Object.fromEntries(
    Object.entries(contract.methods).map(([method, { output }]) => [
      method,
      async (input: unknown) => {
        const result = await rpc.call(contract.service, method, input, options);
        const parsed = safeParse(output, result);
        if (!parsed.success) {
          throw new RemoteError(
            contract.service,
            method,
            'InternalError',
            `${contract.service}.${method} answered outside its contract`,
          );
        }
        return parsed.data;
      },
    ]),
  ) as TypedClient<C>;
}

/**
 * A request envelope sent without waiting for it (a durable command): its
 * reply goes to `replyTo`, a queue consumed by a function, and it stays valid
 * until `deadline`, so it may wait in the request queue while the service is down.
 */
export function commandEnvelope<C extends ServiceContract, K extends keyof Methods<C> & string>(
  contract: C,
  method: K,
  input: InputOf<C, K>,
  envelope: Pick<RpcRequest, 'correlationId' | 'replyTo' | 'deadline' | 'requestId' | 'traceparent'>,
): string {
  const request: RpcRequest = { v: 1, service: contract.service, method, payload: input, ...envelope };
  return JSON.stringify(request);
}
