/**
 * The booking saga's clock, shared by the function and its CDK construct.
 * Pure: no AWS imports.
 */
import { RPC_TIMEOUT_MS } from '../shared/rpc/client.js';

/**
 * The bookings function's timeout: a create makes one RPC call
 * (movies.reserveSeats, up to RPC_TIMEOUT_MS) plus its writes, so a silent
 * movies service is our 504, never a Lambda timeout. 10 s more than the call:
 * a burst of cold starts (50 bookings at once on a busy two-core machine)
 * took longer than 5 s more.
 */
export const BOOKINGS_TIMEOUT_SECONDS = Math.ceil(RPC_TIMEOUT_MS / 1000) + 10;

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
