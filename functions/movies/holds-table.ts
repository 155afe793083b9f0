/**
 * The holds table's layout, shared by the service declaration and the seat
 * store: one item per booking (its hold: held, released or refused) and one
 * per person and showtime (the seats they hold of it), both under `id`;
 * settled ones carry `expiresAt` (epoch seconds) and DynamoDB removes them.
 */
export const HOLDS_TABLE = {
  partitionKey: 'id',
  timeToLiveAttribute: 'expiresAt',
} as const;

/** The key of a booking's hold. */
export const bookingKey = (bookingId: string) => `booking#${bookingId}`;

/** The key of the seats one person holds of one showtime. */
export const personKey = (userId: string, movieId: string, showtimeId: string) =>
  `seats#${userId}#${movieId}#${showtimeId}`;
