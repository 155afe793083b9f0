/**
 * The clock of an account's deletion, shared by the users functions and their
 * declaration. Pure: no AWS imports.
 */
import { LONGEST_CREATE_SECONDS } from '../bookings/contract.js';
import { RIGHTS_CACHE_SECONDS } from '../shared/identity/roles.js';
import { LONGEST_TASK_REQUEST_SECONDS } from '../tasks/contract.js';

/**
 * How long after a profile is marked deleting (its account closed to
 * bookings, then removed) its bookings and tasks are erased: past the end of
 * any booking create whose insert came before the close, and of any task
 * request let in by an authorizer decision cached before the account went.
 */
export const ERASE_AFTER_SECONDS =
  Math.max(LONGEST_CREATE_SECONDS, RIGHTS_CACHE_SECONDS + LONGEST_TASK_REQUEST_SECONDS) + 5;

/** How long the erasure waits before looking again at bookings still giving their seats back. */
export const RETRY_AFTER_SECONDS = 10;

/** After this many looks (about 10 minutes) the erasure gives up; its message goes to the DLQ. */
export const MAX_ERASE_ATTEMPTS = 60;

/**
 * How often profiles are compared with the user pool. An account removed
 * outside the API is erased at most this long plus {@link ERASE_AFTER_SECONDS}
 * (and a few seconds of work) after it went: within 5 minutes.
 */
export const SWEEP_EVERY_MINUTES = 3;

/** A deletion marked longer ago than this and not finished lost its message: the sweep starts it again. */
export const RESUME_AFTER_MINUTES = 30;
