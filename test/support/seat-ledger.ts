import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { GetCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';

export interface SeatLedger {
  capacity: number;
  available: number;
  /** Seats of pending or confirmed bookings. */
  held: number;
  /** Booking count per status. */
  statuses: Record<string, number>;
}

/**
 * Reads one showtime's seats from the movies table and its bookings from the
 * bookings table (strongly consistent), to check `available + held = capacity`.
 */
export async function seatLedger(
  dynamo: DynamoDBDocumentClient,
  tables: { movies: string; bookings: string },
  movieId: string,
  showtimeId: string,
): Promise<SeatLedger> {
  const { Item } = await dynamo.send(
    new GetCommand({ TableName: tables.movies, Key: { id: movieId }, ConsistentRead: true }),
  );
  const showtime = (Item?.showtimes as Record<string, { seats: number; available: number }> | undefined)?.[
    showtimeId
  ];
  if (!showtime) throw new Error(`no showtime ${showtimeId} on movie ${movieId}`);
  let held = 0;
  const statuses: Record<string, number> = {};
  let start: Record<string, unknown> | undefined;
  do {
    const page = await dynamo.send(
      new ScanCommand({
        TableName: tables.bookings,
        FilterExpression: 'movieId = :movieId AND showtimeId = :showtimeId',
        ExpressionAttributeValues: { ':movieId': movieId, ':showtimeId': showtimeId },
        ExclusiveStartKey: start,
        ConsistentRead: true,
      }),
    );
    for (const booking of page.Items ?? []) {
      const status = String(booking.status);
      statuses[status] = (statuses[status] ?? 0) + 1;
      if (status === 'pending' || status === 'confirmed') held += Number(booking.seats);
    }
    start = page.LastEvaluatedKey;
  } while (start);
  return { capacity: Number(showtime.seats), available: Number(showtime.available), held, statuses };
}

/** True once nothing is in flight (no pending, releasing or cancelling booking) and the seats add up. */
export const settled = (ledger: SeatLedger) =>
  ledger.available + ledger.held === ledger.capacity &&
  !ledger.statuses.pending &&
  !ledger.statuses.releasing &&
  !ledger.statuses.cancelling;
