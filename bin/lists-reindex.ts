#!/usr/bin/env node
/**
 * `npm run lists:reindex`: writes the index keys of the movies and bookings
 * stored before their indexes existed: a movie's title keys (`GET
 * /movies?title=` reads the by-title index) and a booking's state key (`GET
 * /bookings/all?status=` reads the by-status index). Until then such items
 * are listed, but not found by title or state. Reads each table once, page
 * by page, writing only the items without their key; safe to run while the
 * API serves requests (a rename or a change of state writes the key
 * itself), and to run again.
 *
 *   npm run lists:reindex [-- --aws] [--deployment file]
 */
import { parseArgs } from 'node:util';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, paginateScan } from '@aws-sdk/lib-dynamodb';
import type { BookingStatus } from '../functions/bookings/domain/bookings.js';
import { bookingsService } from '../functions/bookings/service.js';
import { moviesService } from '../functions/movies/service.js';
import { resolveResources } from './deployment.js';

const { values: args } = parseArgs({
  options: {
    aws: { type: 'boolean', default: false },
    deployment: { type: 'string' },
  },
});

/** Reads `table` page by page (only `attributes`), calling `write` on each item without `key`; answers how many it wrote. */
async function backfill(
  documents: DynamoDBDocumentClient,
  table: string,
  key: string,
  attributes: string[],
  write: (item: Record<string, unknown>) => Promise<boolean>,
  label: string,
): Promise<number> {
  let read = 0;
  let written = 0;
  const names = Object.fromEntries([...attributes, key].map((name, i) => [`#a${i}`, name]));
  const pages = paginateScan(
    { client: documents },
    {
      TableName: table,
      ProjectionExpression: Object.keys(names).join(', '),
      ExpressionAttributeNames: names,
    },
  );
  for await (const page of pages) {
    for (const item of page.Items ?? []) {
      read += 1;
      if (item[key] === undefined && (await write(item))) written += 1;
    }
    process.stderr.write(`\r[reindex] ${label}: ${read} read, ${written} indexed`);
  }
  process.stderr.write('\n');
  return written;
}

async function main(): Promise<void> {
  const resources = await resolveResources(args);
  // Imported once the environment points at the deployment: the adapters make their client at load.
  const { indexTitle } = await import('../functions/movies/dynamo-store.js');
  const { indexStatus } = await import('../functions/bookings/dynamo-store.js');
  const documents = DynamoDBDocumentClient.from(new DynamoDBClient({}));
  const movies = resources.table(moviesService, 'movies');
  const bookings = resources.table(bookingsService, 'bookings');
  const titles = await backfill(
    documents,
    movies,
    'titleInitial',
    ['id', 'title'],
    (item) => indexTitle(movies, String(item.id), String(item.title)),
    'movies',
  );
  const states = await backfill(
    documents,
    bookings,
    'statusShard',
    ['id', 'status'],
    (item) => indexStatus(bookings, String(item.id), String(item.status) as BookingStatus),
    'bookings',
  );
  console.log(`indexed the titles of ${titles} movies and the states of ${states} bookings`);
}

main().catch((error: unknown) => {
  process.stderr.write(`[reindex] ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
