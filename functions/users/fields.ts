import * as z from 'zod/mini';
import { trimmedText } from '../shared/http/fields.js';

/**
 * Field schemas of a person that other services' declarations reuse (the
 * auth routes, the users contract). Kept apart from the route table so that
 * importing them does not bring a whole route table into another bundle.
 */

/** A person's id: the `sub` of their tokens, a UUID. */
export const USER_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** A person's display name, as signup and the profile routes accept it. */
export const displayName = trimmedText(200);

/** A user as the routes and the RPC contract answer it. */
export const user = z.object({ id: z.string(), name: z.string(), email: z.string(), createdOn: z.string() });
