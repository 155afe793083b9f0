import { GetCommand, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { deleteExisting, documents, scanPage } from '../shared/dynamo.js';
import { decodeCursor, encodeCursor } from '../shared/pagination.js';
import type { Booking, BookingStore } from './domain/bookings.js';

/** Global secondary index of bookings by user. */
export const BY_USER_INDEX = 'by-user';

const toBooking = ({
  id,
  userId,
  movieId,
  showtimeId,
  seats,
  createdOn,
}: Record<string, unknown>): Booking => ({
  id: String(id),
  userId: String(userId),
  movieId: String(movieId),
  showtimeId: String(showtimeId),
  seats: Number(seats),
  createdOn: String(createdOn),
});

export function dynamoBookingStore(tableName: string): BookingStore {
  const byUser = (
    userId: string,
    start?: Record<string, unknown>,
    { count = false, limit }: { count?: boolean; limit?: number } = {},
  ) =>
    documents.send(
      new QueryCommand({
        TableName: tableName,
        IndexName: BY_USER_INDEX,
        KeyConditionExpression: 'userId = :userId',
        ExpressionAttributeValues: { ':userId': userId },
        ExclusiveStartKey: start,
        Limit: limit,
        ...(count ? { Select: 'COUNT' as const } : {}),
      }),
    );
  return {
    async insert(booking) {
      await documents.send(
        new PutCommand({
          TableName: tableName,
          Item: booking,
          ConditionExpression: 'attribute_not_exists(id)',
        }),
      );
    },
    async get(id) {
      const { Item } = await documents.send(new GetCommand({ TableName: tableName, Key: { id } }));
      return Item ? toBooking(Item) : undefined;
    },
    list: (limit, cursor) => scanPage(tableName, limit, cursor, toBooking),
    async pageForUser(userId, limit, cursor) {
      // A cursor is only valid for the person it was issued to, its key in their partition.
      const scope = { list: `${tableName}/${BY_USER_INDEX}`, caller: userId, ownerKey: 'userId' };
      const start = cursor ? decodeCursor(cursor, scope, ['id', 'userId', 'createdOn']) : undefined;
      const page = await byUser(userId, start, { limit });
      const items = (page.Items ?? []).map(toBooking);
      return page.LastEvaluatedKey
        ? { items, cursor: encodeCursor(scope, page.LastEvaluatedKey) }
        : { items };
    },
    async remove(id) {
      const deleted = await deleteExisting(tableName, { id });
      return deleted ? toBooking(deleted) : undefined;
    },
    async listForUser(userId) {
      const bookings: Booking[] = [];
      let start: Record<string, unknown> | undefined;
      do {
        const page = await byUser(userId, start);
        bookings.push(...(page.Items ?? []).map(toBooking));
        start = page.LastEvaluatedKey;
      } while (start);
      return bookings.sort((a, b) => a.createdOn.localeCompare(b.createdOn));
    },
    async countForUser(userId) {
      let count = 0;
      let start: Record<string, unknown> | undefined;
      do {
        const page = await byUser(userId, start, { count: true });
        count += page.Count ?? 0;
        start = page.LastEvaluatedKey;
      } while (start);
      return count;
    },
  };
}
