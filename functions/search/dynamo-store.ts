import { gunzipSync, gzipSync } from 'node:zlib';
import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import {
  BatchGetCommand,
  BatchWriteCommand,
  GetCommand,
  paginateQuery,
  TransactWriteCommand,
} from '@aws-sdk/lib-dynamodb';
import { documents, projection, scanPage } from '../shared/dynamo.js';
import type { Page } from '../shared/pagination.js';
import { anchorKey, inlineRoom, matchesAmong, type NameItem, nameItems, nameLookup } from './domain/names.js';
import type { IndexEntry, ReadCount, StoredThing, ThingStore } from './domain/search.js';
import type { Geometry } from './schema.js';
import { SEARCH_TABLES } from './table.js';

const BATCH_GET_LIMIT = 100;
const BATCH_WRITE_LIMIT = 25;
const counterKey = SEARCH_TABLES.counterKey;

export interface SearchTableNames {
  things: string;
  cells: string;
  names: string;
}

/**
 * The items one thing is stored as: its row in the things table, one index
 * entry per covering cell, and its name index items (written with the thing,
 * and the overflow of a long name before it).
 */
export function thingItems(thing: StoredThing) {
  const names = nameItems(thing, inlineRoom(thing.cells.length));
  return {
    thing: {
      id: thing.id,
      name: thing.name,
      geometry: gzipSync(JSON.stringify(thing.geometry)),
      bbox: thing.bbox,
      cells: thing.cells,
    },
    entries: thing.cells.map((cell) => ({ cell, id: thing.id, name: thing.name, bbox: thing.bbox })),
    names,
  };
}

/** Batch-writes the requests to one table, 25 at a time, until none is left unprocessed. */
async function batchWrite(
  table: string,
  requests: Array<
    { PutRequest: { Item: Record<string, unknown> } } | { DeleteRequest: { Key: Record<string, unknown> } }
  >,
) {
  for (let i = 0; i < requests.length; i += BATCH_WRITE_LIMIT) {
    let pending = requests.slice(i, i + BATCH_WRITE_LIMIT);
    while (pending.length > 0) {
      const result = await documents.send(new BatchWriteCommand({ RequestItems: { [table]: pending } }));
      pending = (result.UnprocessedItems?.[table] as typeof pending | undefined) ?? [];
    }
  }
}

const nameKey = ({ initial, key }: NameItem) => ({ initial, key });

/**
 * Writes a stored thing's name index items again, as `add` does, if the thing
 * is still there: for things stored before the name index existed (see
 * `bin/things-reindex.ts`). Safe beside uploads and removals: the inline
 * items are put only while the thing exists (a condition in the same
 * transaction), and overflow items whose thing is gone show in no search.
 * Returns how many items it wrote, 0 if the thing was gone.
 */
export async function reindexName(
  tables: SearchTableNames,
  thing: { id: string; name: string; cells: readonly string[] },
): Promise<number> {
  const names = nameItems(thing, inlineRoom(thing.cells.length));
  await batchWrite(
    tables.names,
    names.overflow.map((Item) => ({ PutRequest: { Item } })),
  );
  try {
    await documents.send(
      new TransactWriteCommand({
        TransactItems: [
          {
            ConditionCheck: {
              TableName: tables.things,
              Key: { id: thing.id },
              ConditionExpression: 'attribute_exists(id)',
            },
          },
          ...names.inline.map((Item) => ({ Put: { TableName: tables.names, Item } })),
        ],
      }),
    );
  } catch (error) {
    // The thing is gone (its condition failed); any other cancellation (a conflict) is worth a retry.
    const gone =
      error instanceof TransactionCanceledException &&
      error.CancellationReasons?.[0]?.Code === 'ConditionalCheckFailed';
    if (gone) return 0;
    throw error;
  }
  return names.inline.length + names.overflow.length;
}

/** The things and cells tables as a {@link ThingStore}. */
export function dynamoThingStore(tables: SearchTableNames): ThingStore {
  const counter = (delta: number) => ({
    Update: {
      TableName: tables.cells,
      Key: counterKey,
      UpdateExpression: 'ADD n :delta',
      ExpressionAttributeValues: { ':delta': delta },
    },
  });

  return {
    async add(thing: StoredThing) {
      const items = thingItems(thing);
      // Overflow first: until the transaction below, nothing anchors it, so no search shows it.
      await batchWrite(
        tables.names,
        items.names.overflow.map((Item) => ({ PutRequest: { Item } })),
      );
      await documents.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Put: {
                TableName: tables.things,
                Item: items.thing,
                ConditionExpression: 'attribute_not_exists(id)',
              },
            },
            ...items.entries.map((Item) => ({ Put: { TableName: tables.cells, Item } })),
            ...items.names.inline.map((Item) => ({ Put: { TableName: tables.names, Item } })),
            counter(1),
          ],
        }),
      );
    },

    async remove(id) {
      const { Item } = await documents.send(
        new GetCommand({
          TableName: tables.things,
          Key: { id },
          ProjectionExpression: 'cells, #name',
          ExpressionAttributeNames: { '#name': 'name' },
        }),
      );
      if (!Item) return false;
      const cells = (Item.cells as string[] | undefined) ?? [];
      // The same items the thing was written with: its name and its number of cells decide them.
      const names = nameItems({ id, name: String(Item.name) }, inlineRoom(cells.length));
      try {
        await documents.send(
          new TransactWriteCommand({
            TransactItems: [
              {
                Delete: {
                  TableName: tables.things,
                  Key: { id },
                  ConditionExpression: 'attribute_exists(id)',
                },
              },
              ...cells.map((cell) => ({ Delete: { TableName: tables.cells, Key: { cell, id } } })),
              ...names.inline.map((item) => ({ Delete: { TableName: tables.names, Key: nameKey(item) } })),
              counter(-1),
            ],
          }),
        );
      } catch (error) {
        // Deleted concurrently by another request: it is gone either way.
        if (error instanceof TransactionCanceledException) return false;
        throw error;
      }
      // The anchor is gone with the thing, so the overflow no longer shows it; a crash here only leaves it unread.
      await batchWrite(
        tables.names,
        names.overflow.map((item) => ({ DeleteRequest: { Key: nameKey(item) } })),
      );
      return true;
    },

    async entriesIn(cells, reads: ReadCount) {
      const pages = await Promise.all(
        cells.map(async (cell) => {
          const entries: IndexEntry[] = [];
          const pages = paginateQuery(
            { client: documents },
            {
              TableName: tables.cells,
              KeyConditionExpression: 'cell = :cell',
              ExpressionAttributeValues: { ':cell': cell },
            },
          );
          for await (const page of pages) {
            reads.indexEntries += page.ScannedCount ?? page.Items?.length ?? 0;
            for (const item of page.Items ?? []) {
              entries.push({
                id: String(item.id),
                name: String(item.name),
                bbox: item.bbox as IndexEntry['bbox'],
              });
            }
          }
          return entries;
        }),
      );
      return pages.flat();
    },

    async geometries(ids, reads: ReadCount) {
      const found = new Map<string, Geometry>();
      for (let i = 0; i < ids.length; i += BATCH_GET_LIMIT) {
        let keys: Array<Record<string, unknown>> = ids.slice(i, i + BATCH_GET_LIMIT).map((id) => ({ id }));
        while (keys.length > 0) {
          const result = await documents.send(
            new BatchGetCommand({
              RequestItems: { [tables.things]: { Keys: keys, ProjectionExpression: 'id, geometry' } },
            }),
          );
          for (const item of result.Responses?.[tables.things] ?? []) {
            reads.things += 1;
            found.set(String(item.id), JSON.parse(gunzipSync(item.geometry as Uint8Array).toString('utf8')));
          }
          keys = (result.UnprocessedKeys?.[tables.things]?.Keys as Array<Record<string, unknown>>) ?? [];
        }
      }
      return found;
    },

    async namesContaining(fragment, reads: ReadCount) {
      const { initial, prefix } = nameLookup(fragment);
      const items: NameItem[] = [];
      const pages = paginateQuery(
        { client: documents },
        {
          TableName: tables.names,
          KeyConditionExpression: 'initial = :initial AND begins_with(#key, :prefix)',
          ExpressionAttributeNames: { '#key': 'key' },
          ExpressionAttributeValues: { ':initial': initial, ':prefix': prefix },
        },
      );
      for await (const page of pages) {
        reads.indexEntries += page.ScannedCount ?? page.Items?.length ?? 0;
        items.push(...((page.Items ?? []) as NameItem[]));
      }
      const { found, unconfirmed } = matchesAmong(items, fragment);
      // Things seen only through overflow items count once their anchor, written with the thing, is there.
      const anchors = [...unconfirmed.values()];
      for (let i = 0; i < anchors.length; i += BATCH_GET_LIMIT) {
        const byAnchor = new Map(anchors.slice(i, i + BATCH_GET_LIMIT).map((match) => [match.anchor, match]));
        let keys: Array<Record<string, unknown>> = [...byAnchor.keys()].map(anchorKey);
        while (keys.length > 0) {
          const result = await documents.send(
            new BatchGetCommand({
              RequestItems: {
                [tables.names]: {
                  Keys: keys,
                  ProjectionExpression: '#key',
                  ExpressionAttributeNames: { '#key': 'key' },
                },
              },
            }),
          );
          for (const item of result.Responses?.[tables.names] ?? []) {
            reads.indexEntries += 1;
            const match = byAnchor.get(String(item.key));
            if (match) found.set(match.id, { id: match.id, name: match.name });
          }
          keys = (result.UnprocessedKeys?.[tables.names]?.Keys as Array<Record<string, unknown>>) ?? [];
        }
      }
      return [...found.values()];
    },

    async count() {
      const { Item } = await documents.send(new GetCommand({ TableName: tables.cells, Key: counterKey }));
      return Number(Item?.n ?? 0);
    },

    async ping() {
      await documents.send(new GetCommand({ TableName: tables.cells, Key: counterKey }));
    },
  };
}

/** What a list of things reads of each: its id and name, never the polygon. */
const SUMMARY = projection(['id', 'name']);

/** The things table a page at a time (an admin's list), behind an opaque cursor valid for this table. */
export function dynamoThingList(thingsTable: string) {
  return {
    list: (limit: number, cursor?: string): Promise<Page<{ id: string; name: string }>> =>
      scanPage(
        thingsTable,
        limit,
        cursor,
        (raw) => ({ id: String(raw.id), name: String(raw.name) }),
        SUMMARY,
      ),
  };
}
