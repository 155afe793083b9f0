import { gunzipSync, gzipSync } from 'node:zlib';
import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import {
  BatchGetCommand,
  GetCommand,
  paginateQuery,
  paginateScan,
  TransactWriteCommand,
} from '@aws-sdk/lib-dynamodb';
import { documents } from '../shared/dynamo.js';
import type { IndexEntry, ReadCount, StoredThing, ThingStore } from './domain/search.js';
import type { Geometry } from './schema.js';
import { SEARCH_TABLES } from './table.js';

const BATCH_GET_LIMIT = 100;
const counterKey = SEARCH_TABLES.counterKey;

export interface SearchTableNames {
  things: string;
  cells: string;
}

/** The items one thing is stored as: its row in the things table and one index entry per covering cell. */
export function thingItems(thing: StoredThing) {
  return {
    thing: {
      id: thing.id,
      name: thing.name,
      nameLower: thing.name.toLowerCase(),
      geometry: gzipSync(JSON.stringify(thing.geometry)),
      bbox: thing.bbox,
      cells: thing.cells,
    },
    entries: thing.cells.map((cell) => ({ cell, id: thing.id, name: thing.name, bbox: thing.bbox })),
  };
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
      await documents.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Put: {
                TableName: tables.things,
                Item: {
                  id: thing.id,
                  name: thing.name,
                  nameLower: thing.name.toLowerCase(),
                  geometry: gzipSync(JSON.stringify(thing.geometry)),
                  bbox: thing.bbox,
                  cells: thing.cells,
                },
                ConditionExpression: 'attribute_not_exists(id)',
              },
            },
            ...thing.cells.map((cell) => ({
              Put: {
                TableName: tables.cells,
                Item: { cell, id: thing.id, name: thing.name, bbox: thing.bbox },
              },
            })),
            counter(1),
          ],
        }),
      );
    },

    async remove(id) {
      const { Item } = await documents.send(
        new GetCommand({ TableName: tables.things, Key: { id }, ProjectionExpression: 'cells' }),
      );
      if (!Item) return false;
      const cells = (Item.cells as string[] | undefined) ?? [];
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
              counter(-1),
            ],
          }),
        );
        return true;
      } catch (error) {
        // Deleted concurrently by another request: it is gone either way.
        if (error instanceof TransactionCanceledException) return false;
        throw error;
      }
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
      const matches: Array<{ id: string; name: string }> = [];
      const pages = paginateScan(
        { client: documents },
        {
          TableName: tables.things,
          ProjectionExpression: 'id, #name',
          FilterExpression: 'contains(nameLower, :fragment)',
          ExpressionAttributeNames: { '#name': 'name' },
          ExpressionAttributeValues: { ':fragment': fragment },
        },
      );
      for await (const page of pages) {
        reads.things += page.ScannedCount ?? 0;
        for (const item of page.Items ?? []) matches.push({ id: String(item.id), name: String(item.name) });
      }
      return matches;
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
