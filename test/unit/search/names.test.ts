import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  anchorKey,
  inlineRoom,
  KEY_SEPARATOR,
  matchesAmong,
  NAME_WINDOW,
  type NameItem,
  nameItems,
  nameLookup,
  nameWindows,
} from '../../../functions/search/domain/names.js';
import {
  newReadCount,
  type ReadCount,
  type StoredThing,
  searchService,
  type ThingStore,
} from '../../../functions/search/domain/search.js';
import type { Geometry } from '../../../functions/search/schema.js';

const geometry: Geometry = {
  type: 'Polygon',
  coordinates: [
    [
      [0, 0],
      [1, 0],
      [1, 1],
      [0, 0],
    ],
  ],
};

/** Where a store's two-step write may stop, as a function crashing between its writes would. */
type Crash = 'none' | 'after-overflow-written' | 'before-overflow-deleted';

/**
 * The search tables in memory, the name index laid out as in DynamoDB
 * (partition by initial, `begins_with` on the sort key) and written in the
 * adapter's order: a long name's overflow before the thing's transaction,
 * and deleted after the one that removes it. `crash` stops a write between
 * its two steps.
 */
function indexedStore() {
  const things = new Map<string, StoredThing>();
  const partitions = new Map<string, Map<string, NameItem>>();
  const put = (item: NameItem) => {
    const partition = partitions.get(item.initial) ?? new Map<string, NameItem>();
    partitions.set(item.initial, partition);
    partition.set(item.key, item);
  };
  const drop = (item: NameItem) => partitions.get(item.initial)?.delete(item.key);
  const readIds = new Set<string>();
  let crash: Crash = 'none';

  const store: ThingStore = {
    async add(thing) {
      const { inline, overflow } = nameItems(thing, inlineRoom(thing.cells.length));
      overflow.forEach(put);
      if (crash === 'after-overflow-written') throw new Error('crashed');
      things.set(thing.id, thing);
      inline.forEach(put);
    },
    async remove(id) {
      const thing = things.get(id);
      if (!thing) return false;
      const { inline, overflow } = nameItems(thing, inlineRoom(thing.cells.length));
      things.delete(id);
      inline.forEach(drop);
      if (crash === 'before-overflow-deleted') throw new Error('crashed');
      overflow.forEach(drop);
      return true;
    },
    entriesIn: async () => [],
    geometries: async () => new Map(),
    async namesContaining(fragment, reads: ReadCount) {
      const { initial, prefix } = nameLookup(fragment);
      const read = [...(partitions.get(initial)?.values() ?? [])].filter((item) =>
        item.key.startsWith(prefix),
      );
      reads.indexEntries += read.length;
      for (const item of read) readIds.add(item.id);
      const { found, unconfirmed } = matchesAmong(read, fragment);
      for (const match of unconfirmed.values()) {
        const anchor = anchorKey(match.anchor);
        if (partitions.get(anchor.initial)?.has(anchor.key)) {
          reads.indexEntries += 1;
          found.set(match.id, { id: match.id, name: match.name });
        }
      }
      return [...found.values()];
    },
    count: async () => things.size,
    ping: async () => {},
  };
  return {
    store,
    readIds,
    crashing: async (mode: Crash, write: () => Promise<unknown>) => {
      crash = mode;
      await write().catch(() => undefined);
      crash = 'none';
    },
    items: () => [...partitions.values()].flatMap((p) => [...p.values()]),
  };
}

/** Today's rule, by reading every thing: the reference the index must agree with. */
function scanningStore(): ThingStore & { things: Map<string, StoredThing> } {
  const things = new Map<string, StoredThing>();
  return {
    things,
    async add(thing) {
      things.set(thing.id, thing);
    },
    async remove(id) {
      return things.delete(id);
    },
    entriesIn: async () => [],
    geometries: async () => new Map(),
    async namesContaining(fragment, reads: ReadCount) {
      reads.things += things.size;
      return [...things.values()].filter((t) => t.name.toLowerCase().includes(fragment));
    },
    count: async () => things.size,
    ping: async () => {},
  };
}

/**
 * Characters that make names tricky: case pairs, accents precomposed and
 * combining, letters whose lower case is longer ('İ') or depends on the
 * position ('Σ'), ligatures, astral emoji, punctuation and spaces, few
 * enough that fragments overlap and repeat.
 */
const ALPHABET = [
  'a',
  'A',
  'b',
  'B',
  'n',
  'N',
  'é',
  'É',
  'e\u0301',
  'ß',
  'ẞ',
  'İ',
  'i',
  'I',
  'ı',
  'Σ',
  'σ',
  'ς',
  'ﬁ',
  'Ǆ',
  'ǅ',
  '😀',
  '🇫🇷',
  ' ',
  '-',
  "'",
  '.',
  '&',
  '%',
  '_',
  '*',
  '(',
  '0',
  '1',
];
const character = fc.constantFrom(...ALPHABET);
const shortName = fc.array(character, { minLength: 1, maxLength: 12 }).map((cs) => cs.join(''));
/** Up to 200 characters of a wide alphabet: more distinct windows than fit in one transaction. */
const longName = fc
  .array(fc.oneof(character, fc.string({ unit: 'grapheme-ascii', minLength: 1, maxLength: 1 })), {
    minLength: 60,
    maxLength: 200,
  })
  .map((cs) => cs.join('').slice(0, 200).trim() || 'x');
const name = fc.oneof({ arbitrary: shortName, weight: 4 }, { arbitrary: longName, weight: 1 });

/** A thing's name and how many cells cover it (which decides how many of its windows go in its transaction). */
const thingArb = fc.record({ name, cells: fc.integer({ min: 1, max: 32 }) });

/** A fragment to search: a piece of a stored name with its case changed, or any string of the alphabet. */
function fragmentArb(names: string[]) {
  const piece = fc
    .record({
      name: fc.constantFrom(...names),
      start: fc.nat(),
      length: fc.integer({ min: 1, max: 24 }),
      upper: fc.boolean(),
    })
    .map(({ name, start, length, upper }) => {
      const cs = Array.from(name);
      const from = start % cs.length;
      const text = cs.slice(from, from + length).join('');
      return upper ? text.toUpperCase() : text;
    });
  return fc.oneof(piece, shortName);
}

const thingOf = (id: string, t: { name: string; cells: number }): StoredThing => ({
  id,
  name: t.name,
  geometry,
  bbox: [0, 0, 1, 1],
  cells: Array.from({ length: t.cells }, (_, i) => `c${i}`),
});

describe('name windows', () => {
  it('are the distinct lower-cased runs of up to 16 characters starting at each position', () => {
    expect(nameWindows('Abab')).toEqual(['abab', 'bab', 'ab', 'b']);
    expect(nameWindows('😀É')).toEqual(['😀é', 'é']);
    const long = 'x'.repeat(40);
    expect(nameWindows(long)).toEqual(
      Array.from({ length: NAME_WINDOW }, (_, i) => 'x'.repeat(NAME_WINDOW - i)),
    );
  });

  it('put as many items as fit in the thing transaction and anchor the rest to the first of them', () => {
    const name = Array.from({ length: 120 }, (_, i) => String.fromCodePoint(0x4e00 + i)).join('');
    const { inline, overflow } = nameItems({ id: 'T', name }, inlineRoom(32));
    expect(inline).toHaveLength(66);
    expect(overflow).toHaveLength(54);
    expect(new Set(overflow.map((item) => item.anchor))).toEqual(new Set([inline[0]?.key]));
    expect(inline[0]?.key).toBe(`${Array.from(name).slice(0, NAME_WINDOW).join('')}${KEY_SEPARATOR}T`);
    expect(nameItems({ id: 'T', name: 'Washington Square Park' }, inlineRoom(32)).overflow).toEqual([]);
  });
});

describe('search by name through the index', () => {
  it('gives exactly the results, total and order of the substring rule over every thing', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc
          .array(thingArb, { minLength: 1, maxLength: 40 })
          .chain((things) =>
            fc.tuple(
              fc.constant(things),
              fc.array(fragmentArb(things.map((t) => t.name)), { minLength: 1, maxLength: 8 }),
              fc.integer({ min: 1, max: 5 }),
              fc.integer({ min: 1, max: 10 }),
            ),
          ),
        async ([things, fragments, page, perPage]) => {
          const indexed = indexedStore();
          const scanning = scanningStore();
          const viaIndex = searchService({ store: indexed.store, newId: () => 'unused' });
          const viaScan = searchService({ store: scanning, newId: () => 'unused' });
          for (const [i, t] of things.entries()) {
            const thing = thingOf(`T${String(i).padStart(3, '0')}`, t);
            await indexed.store.add(thing);
            await scanning.add(thing);
          }
          for (const query of fragments.filter((f) => f.trim() !== '')) {
            for (const p of [1, page]) {
              const q = { query, page: p, perPage };
              expect(await viaIndex.search(q)).toEqual(await viaScan.search(q));
            }
          }
        },
      ),
      { seed: 20261204, numRuns: 300 },
    );
  });

  it('reads only things holding the fragment, when the fragment fits in a window', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc
          .array(thingArb, { minLength: 1, maxLength: 40 })
          .chain((things) => fc.tuple(fc.constant(things), fragmentArb(things.map((t) => t.name)))),
        async ([things, query]) => {
          fc.pre(query.trim() !== '' && Array.from(query.toLowerCase()).length <= NAME_WINDOW);
          const indexed = indexedStore();
          for (const [i, t] of things.entries()) await indexed.store.add(thingOf(`T${i}`, t));
          const reads = newReadCount();
          const result = await searchService({ store: indexed.store, newId: () => 'unused' }).search(
            { query, page: 1, perPage: 100 },
            reads,
          );
          const matching = things
            .map((t, i) => ({ id: `T${i}`, name: t.name }))
            .filter((t) => t.name.toLowerCase().includes(query.toLowerCase()));
          expect(result.total).toBe(matching.length);
          expect([...indexed.readIds].sort()).toEqual(matching.map((t) => t.id).sort());
          // At most one item per position the fragment occurs at, plus one anchor per thing.
          const occurrences = matching.reduce(
            (sum, t) => sum + t.name.toLowerCase().split(query.toLowerCase()).length - 1,
            0,
          );
          expect(reads.indexEntries).toBeLessThanOrEqual(occurrences + matching.length);
        },
      ),
      { seed: 20261205, numRuns: 300 },
    );
  });

  it('stays exact when writes crash between their two steps', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(
          fc.record({ thing: thingArb, crash: fc.constantFrom<Crash>('none', 'after-overflow-written') }),
          {
            minLength: 1,
            maxLength: 30,
          },
        ),
        fc.array(
          fc.record({ index: fc.nat(), crash: fc.constantFrom<Crash>('none', 'before-overflow-deleted') }),
          {
            maxLength: 10,
          },
        ),
        fc.array(shortName, { minLength: 1, maxLength: 6 }),
        async (adds, removes, queries) => {
          const indexed = indexedStore();
          const scanning = scanningStore();
          for (const [i, { thing: t, crash }] of adds.entries()) {
            const thing = thingOf(`T${i}`, t);
            await indexed.crashing(crash, () => indexed.store.add(thing));
            // A crashed upload answered 500: the thing was not stored.
            if (crash === 'none') await scanning.add(thing);
          }
          for (const { index, crash } of removes) {
            const id = `T${index % adds.length}`;
            await indexed.crashing(crash, () => indexed.store.remove(id));
            // A crashed removal had removed the thing before its crash.
            await scanning.remove(id);
          }
          const viaIndex = searchService({ store: indexed.store, newId: () => 'unused' });
          const viaScan = searchService({ store: scanning, newId: () => 'unused' });
          const pieces = [...scanning.things.values()].map((t) => Array.from(t.name).slice(3, 9).join(''));
          for (const query of [...queries, ...pieces].filter((q) => q.trim() !== '')) {
            const q = { query, page: 1, perPage: 100 };
            expect(await viaIndex.search(q)).toEqual(await viaScan.search(q));
          }
        },
      ),
      { seed: 20261206, numRuns: 200 },
    );
  });
});
