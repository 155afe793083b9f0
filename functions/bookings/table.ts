/**
 * The bookings table's layout, shared by the service declaration and the
 * store adapter: partition `id`; global secondary index `by-user` of a
 * person's bookings, oldest first (partition `userId`, sort `createdOn`).
 */
export const BOOKINGS_TABLE = {
  partitionKey: 'id',
  byUserIndex: 'by-user',
  byUser: { partitionKey: 'userId', sortKey: 'createdOn' },
} as const;

/** The rate-limits table: one counter per person and window under `id`, expiring at `expiresAt` (epoch seconds). */
export const RATE_LIMITS_TABLE = {
  partitionKey: 'id',
  timeToLiveAttribute: 'expiresAt',
} as const;
