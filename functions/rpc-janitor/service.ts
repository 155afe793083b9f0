import { defineService } from '../shared/service.js';

/** Deletes the reply queues of execution environments that went away (scheduled in lib/rpc-endpoint.ts). */
export const rpcJanitorService = defineService({
  name: 'rpc',
  functions: {
    'rpc-janitor': {
      entry: 'rpc-janitor/handler.ts',
      description: 'Deletes RPC reply queues left behind by execution environments that went away',
      timeoutSeconds: 60,
    },
  },
});
