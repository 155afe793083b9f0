import * as z from 'zod/mini';
import { defineContract } from '../shared/rpc/contract.js';

/** A person's id: the `sub` of their tokens, a UUID. */
export const USER_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** A user as the routes and the RPC methods answer it. */
export const user = z.object({ id: z.string(), name: z.string(), email: z.string(), createdOn: z.string() });

/** The users service over RPC, for the bookings and auth services. */
export const usersContract = defineContract('users', {
  /** The user; NotFound if there is none, or while their deletion runs. */
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
