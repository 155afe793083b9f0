/**
 * Search index benchmark: for 1,000, 10,000 and 100,000 random polygons with
 * random names, the DynamoDB items one location query and one name query
 * read and their latency, each beside a full-scan search over the same data
 * in the same run. Runs the service's own domain code and table adapter from
 * this process against the local stack's tables, so the figures are the
 * indexes', not API Gateway's or Lambda's.
 */
import { gunzipSync } from 'node:zlib';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { BatchWriteCommand, DynamoDBDocumentClient, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { ulid } from 'ulid';
import { contains, coverCells } from '../../functions/search/domain/cells.js';
import {
  itemsRead,
  newReadCount,
  type StoredThing,
  searchService,
} from '../../functions/search/domain/search.js';
import { dynamoThingStore, thingItems } from '../../functions/search/dynamo-store.js';
import type { Geometry } from '../../functions/search/schema.js';
import { searchService as searchDeclaration } from '../../functions/search/service.js';
import type { Deployment } from '../../lib/stack-outputs.js';
import { stackResources } from '../../lib/stack-outputs.js';
import { mulberry32, SYLLABLES, starPolygon } from './scale-items.js';
import { percentile } from './stats.js';

const SIZES = [1_000, 10_000, 100_000];
const QUERIES = 60;
const SCANS = 3;
const NAME_QUERIES = 20;
const FRAGMENT_KINDS = ['3 letters', 'a word', 'whole name'] as const;
type FragmentKind = (typeof FRAGMENT_KINDS)[number];

export async function searchBench(deployment: Deployment, check: (target: string, ok: boolean) => void) {
  const random = mulberry32(20261121);
  const between = (low: number, high: number) => low + random() * (high - low);
  const tables = {
    things: stackResources(deployment.outputs).table(searchDeclaration, 'things'),
    cells: stackResources(deployment.outputs).table(searchDeclaration, 'cells'),
    names: stackResources(deployment.outputs).table(searchDeclaration, 'names'),
  };
  const documents = DynamoDBDocumentClient.from(new DynamoDBClient({}));
  const search = searchService({ store: dynamoThingStore(tables), newId: ulid });
  const centers: Array<[lat: number, lng: number]> = [];
  const storedNames: string[] = [];

  /** Two or three capitalised words of 2 to 3 syllables: "Dorka Mirébel", about 13 characters. */
  function randomName(): string {
    const word = () =>
      Array.from(
        { length: 2 + Math.floor(random() * 2) },
        () => SYLLABLES[Math.floor(random() * SYLLABLES.length)],
      ).join('');
    const words = Array.from({ length: 2 + (random() < 0.2 ? 1 : 0) }, word);
    return words.map((w) => w.charAt(0).toUpperCase() + w.slice(1)).join(' ');
  }

  /** A piece of a stored name as a user might type it, in either case: 3 letters, a word, or the whole name. */
  function randomFragment(kind: FragmentKind): string {
    const name = storedNames[Math.floor(random() * storedNames.length)] as string;
    const piece =
      kind === '3 letters'
        ? name.slice(Math.floor(random() * (name.length - 2))).slice(0, 3)
        : kind === 'a word'
          ? (name.split(' ')[Math.floor(random() * 2)] as string)
          : name;
    return random() < 0.5 ? piece.toUpperCase() : piece.toLowerCase();
  }

  /** A star-shaped polygon up to 0.1 degrees from its center (up to 0.2 across), named. */
  function randomThing(): StoredThing {
    const { geometry, bbox, center } = starPolygon(random, 0.1);
    centers.push(center);
    const name = randomName();
    storedNames.push(name);
    return { id: ulid(), name, geometry, bbox, cells: coverCells(geometry, bbox) };
  }

  async function writeAll(table: string, items: ReadonlyArray<object>) {
    let next = 0;
    await Promise.all(
      Array.from({ length: 8 }, async () => {
        while (next < items.length) {
          const chunk = items.slice(next, next + 25);
          next += 25;
          let requests = chunk.map((Item) => ({ PutRequest: { Item: Item as Record<string, unknown> } }));
          while (requests.length > 0) {
            const result = await documents.send(
              new BatchWriteCommand({ RequestItems: { [table]: requests } }),
            );
            requests = (result.UnprocessedItems?.[table] as typeof requests | undefined) ?? [];
          }
        }
      }),
    );
  }

  /** The same search without the index: read every thing, test every polygon. */
  async function scanSearch(lat: number, lng: number) {
    const started = performance.now();
    let read = 0;
    const ids: string[] = [];
    let start: Record<string, unknown> | undefined;
    do {
      const page = await documents.send(
        new ScanCommand({
          TableName: tables.things,
          ProjectionExpression: 'id, geometry',
          ExclusiveStartKey: start,
        }),
      );
      read += page.ScannedCount ?? 0;
      for (const item of page.Items ?? []) {
        const geometry = JSON.parse(gunzipSync(item.geometry as Uint8Array).toString('utf8')) as Geometry;
        if (contains(geometry, lat, lng)) ids.push(String(item.id));
      }
      start = page.LastEvaluatedKey;
    } while (start);
    return { read, ids: ids.sort(), ms: performance.now() - started };
  }

  /** Every thing's id and name, by reading the whole table: what a search by name without the index reads. */
  async function scanNames() {
    const started = performance.now();
    let read = 0;
    const all: Array<{ id: string; name: string }> = [];
    let start: Record<string, unknown> | undefined;
    do {
      const page = await documents.send(
        new ScanCommand({
          TableName: tables.things,
          ProjectionExpression: 'id, #name',
          ExpressionAttributeNames: { '#name': 'name' },
          ExclusiveStartKey: start,
        }),
      );
      read += page.ScannedCount ?? 0;
      for (const item of page.Items ?? []) all.push({ id: String(item.id), name: String(item.name) });
      start = page.LastEvaluatedKey;
    } while (start);
    return { read, all, ms: performance.now() - started };
  }

  /**
   * Name queries of each kind at the current size: matches, items read and
   * latency, beside one scan of the table (the scan reads every thing
   * whatever the query); the first queries of each kind are checked against
   * the substring rule over the scanned names.
   */
  async function nameRows(size: number) {
    const scan = await scanNames();
    const rows = [];
    for (const kind of FRAGMENT_KINDS) {
      const items: number[] = [];
      const latencies: number[] = [];
      let matches = 0;
      let withinTwice = true;
      let agrees = true;
      for (let i = 0; i < NAME_QUERIES; i++) {
        const fragment = randomFragment(kind);
        const reads = newReadCount();
        const started = performance.now();
        const result = await search.search({ query: fragment, page: 1, perPage: 100 }, reads);
        latencies.push(performance.now() - started);
        matches += result.total;
        items.push(itemsRead(reads));
        if (itemsRead(reads) > 2 * Math.max(1, result.total)) withinTwice = false;
        if (i < SCANS) {
          const all = await search.search({ query: fragment, page: 1, perPage: Math.max(1, result.total) });
          const expected = scan.all
            .filter((t) => t.name.toLowerCase().includes(fragment.toLowerCase()))
            .map((t) => t.id)
            .sort();
          if (JSON.stringify(all.results.map((r) => r.id).sort()) !== JSON.stringify(expected))
            agrees = false;
        }
      }
      const meanItems = items.reduce((a, b) => a + b, 0) / items.length;
      const meanMatches = matches / NAME_QUERIES;
      rows.push({
        size,
        kind,
        withinTwice,
        agrees,
        perMatch: meanItems / Math.max(1, meanMatches),
        ratio: scan.read / Math.max(1, meanItems),
        line:
          `  ${String(size).padEnd(7)} | ${kind.padEnd(10)} | ${meanMatches.toFixed(2).padEnd(12)} | ${`${meanItems.toFixed(2)} / ${Math.max(...items)}`.padEnd(21)} | ${(meanItems / Math.max(1, meanMatches)).toFixed(2).padEnd(14)} | ` +
          `${`${percentile(latencies, 50).toFixed(1)} / ${percentile(latencies, 99).toFixed(1)} ms`.padEnd(20)} | ${String(scan.read).padEnd(10)} | ${`${scan.ms.toFixed(0)} ms`.padEnd(8)} | ${(scan.read / Math.max(1, meanItems)).toFixed(0)}x`,
      });
    }
    return rows;
  }

  console.log('\nsearch index (location queries; the domain code against the local tables)');
  console.log(
    '  things  | mean matches | mean index entries (matches + cell overhead) | mean / max items read | worst items/entries | latency p50 / p99 | scan items | scan p50 | scan / indexed items',
  );
  let loaded = 0;
  let allWithinTwice = true;
  let agreesWithScan = true;
  let lastRatio = 0;
  const nameResults: Array<Awaited<ReturnType<typeof nameRows>>[number]> = [];
  for (const size of SIZES) {
    const batch = Array.from({ length: size - loaded }, randomThing).map(thingItems);
    await writeAll(
      tables.things,
      batch.map((b) => b.thing),
    );
    await writeAll(
      tables.cells,
      batch.flatMap((b) => b.entries),
    );
    await writeAll(
      tables.names,
      batch.flatMap((b) => [...b.names.inline, ...b.names.overflow]),
    );
    loaded = size;

    const points = Array.from({ length: QUERIES }, (_, i): [number, number] =>
      i % 2 === 0
        ? (centers[Math.floor(random() * centers.length)] as [number, number])
        : [between(-70, 70), between(-179, 179)],
    );
    const entries: number[] = [];
    const items: number[] = [];
    const latencies: number[] = [];
    let matches = 0;
    let worst = 0;
    const indexed = new Map<number, string[]>();
    for (const [i, [lat, lng]] of points.entries()) {
      const reads = newReadCount();
      const started = performance.now();
      const result = await search.search({ lat, lng, page: 1, perPage: 100 }, reads);
      latencies.push(performance.now() - started);
      matches += result.total;
      entries.push(reads.indexEntries);
      items.push(itemsRead(reads));
      worst = Math.max(worst, itemsRead(reads) / Math.max(1, reads.indexEntries));
      if (itemsRead(reads) > 2 * Math.max(1, reads.indexEntries)) allWithinTwice = false;
      if (i < SCANS) indexed.set(i, result.results.map((r) => r.id).sort());
    }
    const scans = [];
    for (let i = 0; i < SCANS; i++) {
      const [lat, lng] = points[i] as [number, number];
      const scan = await scanSearch(lat, lng);
      scans.push(scan);
      if (JSON.stringify(scan.ids) !== JSON.stringify(indexed.get(i))) agreesWithScan = false;
    }
    const scanItems = scans[0]?.read ?? 0;
    const mean = (values: number[]) => values.reduce((a, b) => a + b, 0) / values.length;
    lastRatio = scanItems / Math.max(1, mean(items));
    console.log(
      `  ${String(size).padEnd(7)} | ${(matches / points.length).toFixed(2).padEnd(12)} | ${mean(entries).toFixed(2).padEnd(44)} | ${mean(items).toFixed(2)} / ${Math.max(...items)}`.padEnd(
        94,
      ) +
        `| ${worst.toFixed(2).padEnd(19)} | ${percentile(latencies, 50).toFixed(1)} / ${percentile(latencies, 99).toFixed(1)} ms`.padEnd(
          41,
        ) +
        `| ${String(scanItems).padEnd(10)} | ${percentile(
          scans.map((s) => s.ms),
          50,
        ).toFixed(0)} ms`.padEnd(21) +
        `| ${lastRatio.toFixed(0)}x`,
    );
    nameResults.push(...(await nameRows(size)));
  }
  console.log(
    '\nsearch by name (a piece of a stored name typed in upper or lower case; the domain code against the local tables)',
  );
  console.log(
    '  things  | query      | mean matches | mean / max items read | items / match  | latency p50 / p99    | scan items | scan     | scan / indexed items',
  );
  for (const { line } of nameResults) console.log(line);
  console.log(
    "  (MiniStack's Query loads and sorts the whole partition (one per first letter) before applying begins_with,\n" +
      '   so local latency grows with the table; DynamoDB reads the key range, in proportion to the items read.)',
  );
  check(
    'search: items read per name query at most 2x its matches at every size',
    nameResults.every((r) => r.withinTwice),
  );
  const perMatch = nameResults.filter((r) => r.kind === '3 letters').map((r) => r.perMatch);
  check(
    'search: items read per name match flat from 1,000 to 100,000 things (within 1.5x)',
    Math.max(...perMatch) <= 1.5 * Math.min(...perMatch),
  );
  check(
    'search: at 100,000 things a whole-name query reads at least 1,000x fewer items than the scan',
    (nameResults.find((r) => r.size === 100_000 && r.kind === 'whole name')?.ratio ?? 0) >= 1000,
  );
  check(
    'search: the name index finds exactly what the full scan finds',
    nameResults.every((r) => r.agrees),
  );
  check(
    'search: items read per location query within 2x of (matches + cell overhead) at every size',
    allWithinTwice,
  );
  check(
    'search: at 100,000 things the indexed query reads at least 50x fewer items than the scan',
    lastRatio >= 50,
  );
  check('search: the indexed query finds exactly what the full scan finds', agreesWithScan);
}
