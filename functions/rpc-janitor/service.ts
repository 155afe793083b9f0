import { defineService } from '../shared/service.js';

/**
 * Deletes the reply queues of execution environments that went away. Part of
 * the RPC machinery: the stack deploys it whenever a service serves or calls RPC.
 */
export const rpcJanitorService = defineService({
  name: 'rpc',
  functions: {
    'rpc-janitor': {
      entry: 'rpc-janitor/handler.ts',
      description: 'Deletes RPC reply queues left behind by execution environments that went away',
      timeoutSeconds: 60,
      trigger: { schedule: { everyMinutes: 5 } },
      rpcReplyQueues: 'delete',
    },
  },
});
