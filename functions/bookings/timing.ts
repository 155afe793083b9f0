/**
 * The booking saga's clock, shared by the function and its CDK construct.
 * Pure: no AWS imports.
 */
import { RPC_CALLER_TIMEOUT_SECONDS } from '../shared/rpc/client.js';

/**
 * The bookings function's timeout: a create makes one RPC call
 * (movies.reserveSeats) plus its writes, as every function that calls
 * another service on its request path.
 */
export const BOOKINGS_TIMEOUT_SECONDS = RPC_CALLER_TIMEOUT_SECONDS;

/** A pending booking older than this has no live create behind it: the function's timeout plus a margin. */
export const PENDING_GRACE_SECONDS = BOOKINGS_TIMEOUT_SECONDS + 2;

/** How often the reconciler looks for bookings a crash left in flight. */
export const RECONCILE_EVERY_MINUTES = 1;

/** A release the movies service has not confirmed after this long is sent again by the reconciler. */
export const RESEND_AFTER_SECONDS = 30;

/**
 * How long a person's account stays closed to bookings after its deletion
 * last closed it (each look of the erasure closes it again): far past the
 * end of the account, and of its tokens' cached authorizer decisions.
 */
export const CLOSED_FOR_HOURS = 24;
