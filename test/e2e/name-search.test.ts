/**
 * Search by name through the name index, on the deployed stack: every
 * answer, page by page, is what the substring rule gives over a scan of the
 * deployed things table, for names made to trip an index up (case, accents
 * precomposed and combining, letters whose lower case changes length or
 * depends on position, punctuation, emoji, repeated and overlapping
 * fragments, a 200-character name whose windows do not all fit in the
 * thing's transaction). The table is shared with the other e2e files, which
 * run one at a time: the scan sees their things too, and so does the search.
 */
import { randomUUID } from 'node:crypto';
import { BatchWriteCommand, DeleteCommand, GetCommand, paginateScan } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inlineRoom, nameItems } from '../../functions/search/domain/names.js';
import type { SearchResult } from '../../functions/search/domain/search.js';
import { searchService } from '../../functions/search/service.js';
import { call, type Person, signUpAdmin } from './people.js';
import { api, dynamo, resources, runScript } from './support.js';

const tag = randomUUID().slice(0, 8);
const thingsTable = resources.table(searchService, 'things');
const namesTable = resources.table(searchService, 'names');

/** 191 distinct CJK characters after the tag: 200 characters, 200 distinct windows. */
const longName = `${tag} ${Array.from({ length: 191 }, (_, i) => String.fromCodePoint(0x4e00 + i * 7)).join('')}`;
const NAMES = [
  `Banana Bandana ${tag}`,
  `BANANA ${tag}`,
  `Café Crème ${tag}`,
  `Cafe\u0301 Noir ${tag}`,
  `Straße ${tag}`,
  `STRASSE ${tag}`,
  `İstanbul ${tag}`,
  `ISTANBUL ${tag}`,
  `ΟΔΟΣ Σοφίας ${tag}`,
  `O'Brien's (Pub) & Grill, 100% ${tag}`,
  `50%_off*sale ${tag}`,
  `😀 Smile 🇫🇷 ${tag}`,
  `${'a'.repeat(40)} ${tag}`,
  longName,
];
const QUERIES = [
  'ana',
  'ANA',
  'banana b',
  'é',
  'e\u0301',
  'CAFÉ',
  'strasse',
  'ß',
  'SS',
  'İstanbul',
  'istanbul',
  'i',
  'σ',
  'ς',
  'οδος',
  "o'brien's",
  '(pub) &',
  '100%',
  '%',
  '_',
  '*',
  '😀',
  '🇫🇷',
  'smile 🇫',
  'a'.repeat(20),
  tag,
  tag.toUpperCase(),
  Array.from(longName).slice(100, 130).join(''),
  Array.from(longName).slice(185).join(''),
  longName,
];

const square = (west: number, south: number) => [
  [
    [west, south],
    [west + 1, south],
    [west + 1, south + 1],
    [west, south + 1],
    [west, south],
  ],
];

/** The order of every search: by name (English collation), then id. */
const byName = (a: { name: string; id: string }, b: { name: string; id: string }) =>
  a.name.localeCompare(b.name, 'en') || a.id.localeCompare(b.id);

/** What a search by `query` must give: the substring rule over a scan of the whole things table. */
async function scanned(query: string) {
  const fragment = query.toLowerCase();
  const all: Array<{ id: string; name: string }> = [];
  const pages = paginateScan(
    { client: dynamo },
    {
      TableName: thingsTable,
      ProjectionExpression: 'id, #name',
      ExpressionAttributeNames: { '#name': 'name' },
    },
  );
  for await (const page of pages) {
    for (const item of page.Items ?? []) all.push({ id: String(item.id), name: String(item.name) });
  }
  return all.filter((t) => t.name.toLowerCase().includes(fragment)).sort(byName);
}

/** Every page of `GET /search?query=`, 100 at a time, checking each page's total. */
async function searched(query: string) {
  const results: SearchResult['results'] = [];
  let total = 0;
  for (let page = 1; page === 1 || results.length < total; page++) {
    const response = await api<SearchResult>(
      `search?query=${encodeURIComponent(query)}&per_page=100&page=${page}`,
    );
    expect(response.status, JSON.stringify(response.body)).toBe(200);
    if (page > 1) expect(response.body.total).toBe(total);
    total = response.body.total;
    if (response.body.results.length === 0) break;
    results.push(...response.body.results);
  }
  expect(results).toHaveLength(total);
  return results;
}

let admin: Person;
const ids = new Map<string, string>();

beforeAll(async () => {
  admin = await signUpAdmin();
  for (const [i, name] of NAMES.entries()) {
    const created = await call('POST', 'things', {
      as: admin,
      body: { name, geometry: { type: 'Polygon', coordinates: square(-60 + i, -30) } },
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    ids.set(name, created.body.id);
  }
});

afterAll(async () => {
  for (const id of ids.values()) await call('DELETE', `things/${id}`, { as: admin });
});

describe('GET /search?query= through the name index', () => {
  it.each(QUERIES)(
    'gives what the substring rule gives over a scan of the table, in order: %s',
    async (query) => {
      const expected = await scanned(query);
      expect(await searched(query)).toEqual(expected);
    },
  );

  it('finds each tricky name by itself, typed as stored or lower-cased, and agrees with the scan in upper case', async () => {
    for (const name of NAMES) {
      for (const query of [name, name.toLowerCase()]) {
        const found = await searched(query);
        expect(found).toEqual(await scanned(query));
        expect(found.map((r) => r.id)).toContain(ids.get(name));
      }
      // Upper case is not always found back ('Straße' is 'STRASSE'): the rule decides, as the scan shows.
      expect(await searched(name.toUpperCase())).toEqual(await scanned(name.toUpperCase()));
    }
  });

  it('does not show a long name whose upload stopped after its overflow items were written', async () => {
    // What a crash between the two writes of an upload leaves: the overflow items, no thing, no anchor.
    const ghost = {
      id: `0${tag.toUpperCase()}GHOST${'0'.repeat(12)}`.slice(0, 26),
      name: `ghost ${longName.slice(9)}`,
    };
    const { overflow } = nameItems(ghost, inlineRoom(1));
    expect(overflow.length).toBeGreaterThan(0);
    for (let i = 0; i < overflow.length; i += 25) {
      await dynamo.send(
        new BatchWriteCommand({
          RequestItems: { [namesTable]: overflow.slice(i, i + 25).map((Item) => ({ PutRequest: { Item } })) },
        }),
      );
    }
    try {
      const piece = Array.from(ghost.name).slice(150, 170).join('');
      const found = await searched(piece);
      expect(found).toEqual(await scanned(piece));
      expect(found.map((r) => r.id)).not.toContain(ghost.id);
    } finally {
      for (const item of overflow) {
        await dynamo.send(
          new DeleteCommand({ TableName: namesTable, Key: { initial: item.initial, key: item.key } }),
        );
      }
    }
  });

  it('forgets a removed thing, its long name and every index item of it', async () => {
    const id = ids.get(longName) as string;
    expect((await call('DELETE', `things/${id}`, { as: admin })).status).toBe(204);
    ids.delete(longName);
    for (const query of [longName, Array.from(longName).slice(120, 140).join('')]) {
      const found = await searched(query);
      expect(found).toEqual(await scanned(query));
      expect(found.map((r) => r.id)).not.toContain(id);
    }
    const left: unknown[] = [];
    for await (const page of paginateScan(
      { client: dynamo },
      { TableName: namesTable, FilterExpression: 'id = :id', ExpressionAttributeValues: { ':id': id } },
    )) {
      left.push(...(page.Items ?? []));
    }
    expect(left).toEqual([]);
  });

  it('finds a thing stored before the name index once `npm run things:reindex` has run', async () => {
    const name = `Legacy Lodge ${tag}`;
    const created = await call('POST', 'things', {
      as: admin,
      body: { name, geometry: { type: 'Polygon', coordinates: square(-60, -20) } },
    });
    expect(created.status).toBe(201);
    ids.set(name, created.body.id);
    // What a thing stored before the index looks like: its row and cells, no name items.
    const { Item } = await dynamo.send(
      new GetCommand({ TableName: thingsTable, Key: { id: created.body.id } }),
    );
    const { inline, overflow } = nameItems({ id: created.body.id, name }, inlineRoom(Item?.cells.length));
    for (const item of [...inline, ...overflow]) {
      await dynamo.send(
        new DeleteCommand({ TableName: namesTable, Key: { initial: item.initial, key: item.key } }),
      );
    }
    expect((await searched('legacy lodge')).map((r) => r.id)).not.toContain(created.body.id);

    const run = await runScript('bin/things-reindex.ts', []);
    expect(run.status, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/^indexed the names of \d+ things \(\d+ items\)/);
    const found = await searched('legacy lodge');
    expect(found).toEqual(await scanned('legacy lodge'));
    expect(found.map((r) => r.id)).toContain(created.body.id);
  });
});
