import * as z from 'zod/mini';
import { defineContract } from '../shared/rpc/contract.js';

/** The tasks function's timeout: a task request that was let in has ended this long after. */
export const LONGEST_TASK_REQUEST_SECONDS = 10;

/** The tasks service over RPC, for the users service. */
export const tasksContract = defineContract('tasks', {
  /** Deletes every task of a person, for the deletion of their account; answers how many went. */
  eraseForUser: {
    input: z.object({ userId: z.string() }),
    output: z.object({ erased: z.number().check(z.int(), z.gte(0)) }),
  },
});
