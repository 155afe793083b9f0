import * as z from 'zod/mini';
import { defineContract } from '../shared/rpc/contract.js';
import { USER_ID, user } from './fields.js';

/** The users service over RPC, for the bookings and auth services. */
export const usersContract = defineContract('users', {
  /** The user (NotFound if there is none). */
  get: { input: z.object({ id: z.string() }), output: user },
  /** Creates the profile of a new identity unless it exists (idempotent per identity id); returns the stored one. */
  ensureProfile: {
    input: z.object({
      id: z.string().check(z.regex(USER_ID)),
      email: z.string().check(z.minLength(3)),
      name: z.string().check(z.minLength(1)),
    }),
    output: user,
  },
});
