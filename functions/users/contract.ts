import { z } from 'zod';
import { defineContract } from '../shared/rpc/contract.js';

/** The users service over RPC, for the bookings service. */
export const usersContract = defineContract('users', {
  /** The user (NotFound if there is none). */
  get: { input: z.object({ id: z.string() }), output: z.object({ id: z.string() }) },
});
