#!/usr/bin/env node
/**
 * `npm run things:reindex`: writes the name index items of every stored thing,
 * for a deployment whose things were stored before the name index existed
 * (they are found by location, but not by name, until then). Reads the things
 * table once, page by page, with progress; safe to run while the API serves
 * uploads and removals, and to run again.
 *
 *   npm run things:reindex [-- --aws] [--deployment file] [--concurrency 8]
 */
import { parseArgs } from 'node:util';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, paginateScan } from '@aws-sdk/lib-dynamodb';
import { searchService } from '../functions/search/service.js';
import { resolveResources } from './deployment.js';

const { values: args } = parseArgs({
  options: {
    aws: { type: 'boolean', default: false },
    deployment: { type: 'string' },
    concurrency: { type: 'string', default: '8' },
  },
});

async function main(): Promise<void> {
  const resources = await resolveResources(args);
  // Imported once the environment points at the deployment: the adapter makes its client at load.
  const { reindexName } = await import('../functions/search/dynamo-store.js');
  const tables = {
    things: resources.table(searchService, 'things'),
    cells: resources.table(searchService, 'cells'),
    names: resources.table(searchService, 'names'),
  };
  const documents = DynamoDBDocumentClient.from(new DynamoDBClient({}));
  let things = 0;
  let items = 0;
  let gone = 0;
  const pages = paginateScan(
    { client: documents },
    {
      TableName: tables.things,
      ProjectionExpression: 'id, #name, cells',
      ExpressionAttributeNames: { '#name': 'name' },
    },
  );
  for await (const page of pages) {
    const batch = (page.Items ?? []).map((item) => ({
      id: String(item.id),
      name: String(item.name),
      cells: (item.cells as string[] | undefined) ?? [],
    }));
    let next = 0;
    await Promise.all(
      Array.from({ length: Math.max(1, Number(args.concurrency)) }, async () => {
        while (next < batch.length) {
          const thing = batch[next++] as (typeof batch)[number];
          const written = await reindexName(tables, thing);
          if (written === 0) gone += 1;
          else things += 1;
          items += written;
        }
      }),
    );
    process.stderr.write(`\r[reindex] ${things + gone} things read, ${items} name items written`);
  }
  process.stderr.write('\n');
  console.log(
    `indexed the names of ${things} things (${items} items)${gone ? `; ${gone} were removed meanwhile` : ''}`,
  );
}

main().catch((error: unknown) => {
  process.stderr.write(`[reindex] ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
