/**
 * The bookings table's layout, shared by the service declaration and the
 * store adapter: partition `id`; global secondary index `by-user` of a
 * person's bookings, oldest first (partition `userId`, sort `createdOn`);
 * the sparse global secondary index `in-flight` of the bookings a saga
 * step is still running for (see {@link IN_FLIGHT}); and the global
 * secondary index `by-status` of everyone's bookings in one state, for an
 * admin's list (see {@link BY_STATUS}).
 */
export const BOOKINGS_TABLE = {
  partitionKey: 'id',
  byUserIndex: 'by-user',
  byUser: { partitionKey: 'userId', sortKey: 'createdOn' },
  inFlightIndex: 'in-flight',
  inFlight: { partitionKey: 'inFlight', sortKey: 'updatedOn' },
  byStatusIndex: 'by-status',
  byStatus: { partitionKey: 'statusShard', sortKey: 'id' },
} as const;

/**
 * The `in-flight` index: a booking carries the attribute `inFlight` only
 * while it is `pending`, `releasing` or `cancelling` (every write that moves
 * it sets or removes the attribute), so the index holds those bookings and
 * no others, and the reconciler reads in proportion to what is in flight,
 * whatever the size of the table. Its value is `<status>#<shard>`: the
 * bookings of one state are spread over {@link IN_FLIGHT.shards} partition
 * keys, as one key of an index takes about 1,000 writes a second and every
 * booking writes the index twice (in, then out when it settles).
 */
export const IN_FLIGHT = {
  statuses: ['pending', 'releasing', 'cancelling'],
  shards: 8,
} as const;

/**
 * The `by-status` index: every booking carries `statusShard`,
 * `<status>#<shard>`, set by every write that moves it, so an admin's list
 * of the bookings in one state reads them alone (sorted by id, a ULID: by
 * creation), whatever else the table holds. Its shards are the in-flight
 * index's, for the same reason: one key of an index takes about 1,000 writes
 * a second, and every booking is written into two states or more.
 */
export const BY_STATUS = { shards: IN_FLIGHT.shards } as const;

/** The rate-limits table: one counter per person and window under `id`, expiring at `expiresAt` (epoch seconds). */
export const RATE_LIMITS_TABLE = {
  partitionKey: 'id',
  timeToLiveAttribute: 'expiresAt',
} as const;

/**
 * The closed-accounts table: one item per person whose account is being
 * deleted (`userId`), written when the deletion starts; a booking's insert is
 * a transaction conditional on its person having none. It expires at
 * `expiresAt` (epoch seconds), renewed while the deletion runs, long after
 * the account is gone and its tokens refused.
 */
export const CLOSED_ACCOUNTS_TABLE = {
  partitionKey: 'userId',
  timeToLiveAttribute: 'expiresAt',
} as const;
