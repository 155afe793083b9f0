import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import {
  DeleteCommand,
  GetCommand,
  PutCommand,
  paginateQuery,
  QueryCommand,
  type QueryCommandInput,
  TransactWriteCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { cursorPage, documents, scanPage, unlessConditionFails } from '../shared/dynamo.js';
import { ANYONE } from '../shared/pagination.js';
import type { Booking, BookingStatus, BookingStore, InFlightStatus } from './domain/bookings.js';
import { BOOKINGS_TABLE, BY_STATUS, IN_FLIGHT } from './table.js';

const {
  byUserIndex: BY_USER_INDEX,
  inFlightIndex: IN_FLIGHT_INDEX,
  byStatusIndex: BY_STATUS_INDEX,
} = BOOKINGS_TABLE;

/** The shard of a booking in the in-flight and by-status indexes: a fixed function of its id, spreading ids evenly. */
function shardOf(id: string): number {
  let hash = 0;
  for (let i = 0; i < id.length; i++) hash = (hash * 31 + id.charCodeAt(i)) >>> 0;
  return hash % IN_FLIGHT.shards;
}

/** The booking's key in the in-flight index while it is in `status`; undefined once it has settled. */
function inFlightKey(id: string, status: BookingStatus): string | undefined {
  return (IN_FLIGHT.statuses as readonly BookingStatus[]).includes(status)
    ? `${status}#${shardOf(id)}`
    : undefined;
}

/** The booking's key in the by-status index while it is in `status`. */
const statusShard = (id: string, status: BookingStatus) => `${status}#${shardOf(id)}`;

/** A booking as its item holds it: with its keys in the in-flight index (while in flight) and the by-status index. */
export function bookingItem(booking: Booking): Record<string, unknown> {
  const inFlight = inFlightKey(booking.id, booking.status);
  return {
    ...booking,
    statusShard: statusShard(booking.id, booking.status),
    ...(inFlight ? { inFlight } : {}),
  };
}

/**
 * Writes a booking's key in the by-status index, for a booking stored
 * before the index existed; answers whether it wrote it. Only while it is
 * still in `status` (a transition writes the key itself).
 */
export async function indexStatus(tableName: string, id: string, status: BookingStatus): Promise<boolean> {
  const written = await unlessConditionFails(() =>
    documents.send(
      new UpdateCommand({
        TableName: tableName,
        Key: { id },
        UpdateExpression: 'SET statusShard = :key',
        ConditionExpression: '#status = :status',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: { ':key': statusShard(id, status), ':status': status },
      }),
    ),
  );
  return written !== undefined;
}

/**
 * One page of everyone's bookings in `status`, newest first, from before the
 * id `before`: a query per shard of the by-status index, each for at most a
 * page, merged. It reads at most {@link BY_STATUS}.shards pages, whatever
 * else the table holds.
 */
async function statusPage(tableName: string, status: BookingStatus, limit: number, before?: unknown) {
  const shards = await Promise.all(
    Array.from({ length: BY_STATUS.shards }, (_, shard) =>
      documents.send(
        new QueryCommand({
          TableName: tableName,
          IndexName: BY_STATUS_INDEX,
          KeyConditionExpression:
            before === undefined ? 'statusShard = :key' : 'statusShard = :key AND id < :before',
          ExpressionAttributeValues: {
            ':key': `${status}#${shard}`,
            ...(before === undefined ? {} : { ':before': before }),
          },
          ScanIndexForward: false,
          Limit: limit,
        }),
      ),
    ),
  );
  const items = shards
    .flatMap((page) => page.Items ?? [])
    .sort((a, b) => String(b.id).localeCompare(String(a.id)));
  const kept = items.slice(0, limit);
  const last = kept.at(-1);
  // More may follow the last one kept: those cut off, or the rest of a shard that filled its page.
  return last && (items.length > limit || shards.some((page) => page.LastEvaluatedKey))
    ? { Items: kept, LastEvaluatedKey: { id: last.id } }
    : { Items: kept };
}

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

/**
 * The bookings store on DynamoDB: the bookings table, and the
 * closed-accounts table that a booking's insert is conditional on.
 */
export function dynamoBookingStore(tableName: string, closedAccountsTable: string): BookingStore {
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
      try {
        await documents.send(
          new TransactWriteCommand({
            TransactItems: [
              {
                Put: {
                  TableName: tableName,
                  Item: bookingItem(booking),
                  ConditionExpression: 'attribute_not_exists(id)',
                },
              },
              {
                ConditionCheck: {
                  TableName: closedAccountsTable,
                  Key: { userId: booking.userId },
                  ConditionExpression: 'attribute_not_exists(userId)',
                },
              },
            ],
          }),
        );
        return 'inserted';
      } catch (error) {
        // The reasons come in the order of the items: the booking's put, then the account's check.
        const reasons = error instanceof TransactionCanceledException ? error.CancellationReasons : undefined;
        if (reasons?.[1]?.Code === 'ConditionalCheckFailed' && reasons[0]?.Code !== 'ConditionalCheckFailed')
          return 'closed';
        throw error;
      }
    },
    async closeForUser(userId, until) {
      await documents.send(
        new PutCommand({
          TableName: closedAccountsTable,
          Item: { userId, expiresAt: Math.ceil(until.getTime() / 1000) },
        }),
      );
    },
    async get(id) {
      const { Item } = await documents.send(
        new GetCommand({ TableName: tableName, Key: { id }, ConsistentRead: true }),
      );
      return Item ? toBooking(Item) : undefined;
    },
    list: (limit, cursor, status) =>
      status === undefined
        ? scanPage(tableName, limit, cursor, toBooking)
        : cursorPage(
            { list: `${tableName}/${BY_STATUS_INDEX}#${status}`, caller: ANYONE },
            ['id'],
            cursor,
            (start) => statusPage(tableName, status, limit, start?.id),
            toBooking,
          ),
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
      // In the in-flight index while a saga step runs, out of it (the attribute removed) once settled.
      const inFlight = inFlightKey(id, to);
      const result = await unlessConditionFails(() =>
        documents.send(
          new UpdateCommand({
            TableName: tableName,
            Key: { id },
            UpdateExpression: inFlight
              ? 'SET #status = :to, statusShard = :statusShard, updatedOn = :at, inFlight = :inFlight'
              : 'SET #status = :to, statusShard = :statusShard, updatedOn = :at REMOVE inFlight',
            ConditionExpression: `attribute_exists(id) AND ${allowed.expression}`,
            ExpressionAttributeNames: { '#status': 'status' },
            ExpressionAttributeValues: {
              ':to': to,
              ':statusShard': statusShard(id, to),
              ':at': at,
              ...(inFlight ? { ':inFlight': inFlight } : {}),
              ...allowed.values,
            },
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
    // One query per state and shard of the sparse in-flight index, for what changed before `before`:
    // it reads the stuck bookings alone (settled ones are not in the index), whatever the table's size.
    // The index is eventually consistent: a booking that has just moved on may still be read here, which
    // is harmless, as every repair is a conditional transition or an idempotent release.
    async stuck(statuses, before) {
      const queries = statuses.flatMap((status: InFlightStatus) =>
        Array.from({ length: IN_FLIGHT.shards }, (_, shard) =>
          paginateQuery(
            { client: documents },
            {
              TableName: tableName,
              IndexName: IN_FLIGHT_INDEX,
              KeyConditionExpression: 'inFlight = :inFlight AND updatedOn < :before',
              ExpressionAttributeValues: { ':inFlight': `${status}#${shard}`, ':before': before },
            },
          ),
        ),
      );
      const pages = await Promise.all(
        queries.map(async (pages) => {
          const found: Booking[] = [];
          let read = 0;
          for await (const page of pages) {
            found.push(...(page.Items ?? []).map(toBooking));
            read += page.ScannedCount ?? 0;
          }
          return { found, read };
        }),
      );
      return {
        items: pages.flatMap((p) => p.found),
        read: pages.reduce((sum, p) => sum + p.read, 0),
      };
    },
  };
}
