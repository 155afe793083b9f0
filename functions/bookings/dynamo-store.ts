import {
  DeleteCommand,
  GetCommand,
  PutCommand,
  paginateQuery,
  paginateScan,
  QueryCommand,
  type QueryCommandInput,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { cursorPage, documents, scanPage, unlessConditionFails } from '../shared/dynamo.js';
import type { Booking, BookingStatus, BookingStore } from './domain/bookings.js';
import { BOOKINGS_TABLE } from './table.js';

const { byUserIndex: BY_USER_INDEX } = BOOKINGS_TABLE;

/** States in which a booking still concerns its user (holds seats, or is giving them back). */
const ACTIVE: readonly BookingStatus[] = ['pending', 'confirmed', 'cancelling', 'releasing'];
/** What a person's own list shows: bookings they made that are not cancelled (a failed create never was theirs). */
const LISTED: readonly BookingStatus[] = ['pending', 'confirmed', 'cancelling'];

const toBooking = ({
  id,
  userId,
  movieId,
  showtimeId,
  seats,
  status,
  createdOn,
  updatedOn,
}: Record<string, unknown>): Booking => ({
  id: String(id),
  userId: String(userId),
  movieId: String(movieId),
  showtimeId: String(showtimeId),
  seats: Number(seats),
  status: String(status) as BookingStatus,
  createdOn: String(createdOn),
  updatedOn: String(updatedOn ?? createdOn),
});

/** `#status IN (:s0, :s1, ...)` with its values. */
function statusIn(statuses: readonly BookingStatus[]) {
  const values = Object.fromEntries(statuses.map((s, i) => [`:s${i}`, s]));
  return { expression: `#status IN (${Object.keys(values).join(', ')})`, values };
}

/** The two status filters the by-user queries use, built once. */
const ACTIVE_FILTER = statusIn(ACTIVE);
const LISTED_FILTER = statusIn(LISTED);

export function dynamoBookingStore(tableName: string): BookingStore {
  /** A query of one person's bookings in the given states. */
  const byUser = (userId: string, filter: ReturnType<typeof statusIn>): QueryCommandInput => ({
    TableName: tableName,
    IndexName: BY_USER_INDEX,
    KeyConditionExpression: 'userId = :userId',
    FilterExpression: filter.expression,
    ExpressionAttributeNames: { '#status': 'status' },
    ExpressionAttributeValues: { ':userId': userId, ...filter.values },
  });
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
      const { Item } = await documents.send(
        new GetCommand({ TableName: tableName, Key: { id }, ConsistentRead: true }),
      );
      return Item ? toBooking(Item) : undefined;
    },
    list: (limit, cursor) => scanPage(tableName, limit, cursor, toBooking),
    pageForUser(userId, limit, cursor) {
      // A cursor is only valid for the person it was issued to, its key in their partition.
      const scope = { list: `${tableName}/${BY_USER_INDEX}`, caller: userId, ownerKey: 'userId' };
      return cursorPage(
        scope,
        ['id', 'userId', 'createdOn'],
        cursor,
        (start) =>
          documents.send(
            new QueryCommand({ ...byUser(userId, LISTED_FILTER), ExclusiveStartKey: start, Limit: limit }),
          ),
        toBooking,
      );
    },
    async transition(id, from, to, at) {
      const allowed = statusIn(from);
      const result = await unlessConditionFails(() =>
        documents.send(
          new UpdateCommand({
            TableName: tableName,
            Key: { id },
            UpdateExpression: 'SET #status = :to, updatedOn = :at',
            ConditionExpression: `attribute_exists(id) AND ${allowed.expression}`,
            ExpressionAttributeNames: { '#status': 'status' },
            ExpressionAttributeValues: { ':to': to, ':at': at, ...allowed.values },
            ReturnValues: 'ALL_NEW',
          }),
        ),
      );
      return result?.Attributes ? toBooking(result.Attributes) : undefined;
    },
    async removeIf(id, status) {
      await unlessConditionFails(() =>
        documents.send(
          new DeleteCommand({
            TableName: tableName,
            Key: { id },
            ConditionExpression: '#status = :status',
            ExpressionAttributeNames: { '#status': 'status' },
            ExpressionAttributeValues: { ':status': status },
          }),
        ),
      );
    },
    async listForUser(userId) {
      const bookings: Booking[] = [];
      for await (const page of paginateQuery({ client: documents }, byUser(userId, ACTIVE_FILTER)))
        bookings.push(...(page.Items ?? []).map(toBooking));
      return bookings.sort((a, b) => a.createdOn.localeCompare(b.createdOn));
    },
    async allForUser(userId) {
      const bookings: Booking[] = [];
      const query = {
        TableName: tableName,
        IndexName: BY_USER_INDEX,
        KeyConditionExpression: 'userId = :userId',
        ExpressionAttributeValues: { ':userId': userId },
      };
      for await (const page of paginateQuery({ client: documents }, query))
        bookings.push(...(page.Items ?? []).map(toBooking));
      return bookings;
    },
    async countForUser(userId) {
      let count = 0;
      const query = { ...byUser(userId, ACTIVE_FILTER), Select: 'COUNT' as const };
      for await (const page of paginateQuery({ client: documents }, query)) count += page.Count ?? 0;
      return count;
    },
    // A scan: the reconciler runs once a minute over a table of this size. A
    // sparse index on unsettled bookings is the step up for a large table.
    async stuck(statuses, before) {
      const wanted = statusIn(statuses);
      const found: Booking[] = [];
      const pages = paginateScan(
        { client: documents },
        {
          TableName: tableName,
          FilterExpression: `${wanted.expression} AND updatedOn < :before`,
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: { ...wanted.values, ':before': before },
          ConsistentRead: true,
        },
      );
      for await (const page of pages) found.push(...(page.Items ?? []).map(toBooking));
      return found;
    },
  };
}
