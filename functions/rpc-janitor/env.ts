import { readEnv } from '../shared/env.js';
import { ENV } from '../shared/env-names.js';

/** Read at cold start by the janitor: the prefix of this stack's reply queues. */
export const janitorEnv = () => readEnv([ENV.rpcReplyQueuePrefix]);
