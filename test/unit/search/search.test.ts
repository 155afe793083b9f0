import { beforeEach, describe, expect, it } from 'vitest';
import type {
  IndexEntry,
  ReadCount,
  StoredThing,
  ThingStore,
} from '../../../functions/search/domain/search.js';
import { newReadCount, searchService } from '../../../functions/search/domain/search.js';
import type { Geometry } from '../../../functions/search/schema.js';
import { NotFoundError, ValidationError } from '../../../functions/shared/errors.js';

/** In-memory store with the same cell-index semantics as the tables. */
function memoryStore(): ThingStore {
  const things = new Map<string, StoredThing>();
  return {
    async add(thing) {
      things.set(thing.id, thing);
    },
    async remove(id) {
      return things.delete(id);
    },
    async entriesIn(cells, reads: ReadCount) {
      const wanted = new Set(cells);
      const entries: IndexEntry[] = [];
      for (const t of things.values()) {
        for (const cell of t.cells) {
          if (wanted.has(cell)) entries.push({ id: t.id, name: t.name, bbox: t.bbox });
        }
      }
      reads.indexEntries += entries.length;
      return entries;
    },
    async geometries(ids, reads: ReadCount) {
      reads.things += ids.length;
      return new Map(ids.map((id) => [id, things.get(id)?.geometry as Geometry]));
    },
    async namesContaining(fragment, reads: ReadCount) {
      reads.things += things.size;
      return [...things.values()].filter((t) => t.name.toLowerCase().includes(fragment));
    },
    count: async () => things.size,
    ping: async () => {},
  };
}

const square = (west: number, south: number, size: number): Geometry => ({
  type: 'Polygon',
  coordinates: [
    [
      [west, south],
      [west + size, south],
      [west + size, south + size],
      [west, south + size],
      [west, south],
    ],
  ],
});

let search: ReturnType<typeof searchService>;

beforeEach(async () => {
  let n = 0;
  search = searchService({ store: memoryStore(), newId: () => `id${++n}` });
  await search.add({ name: 'Paris', geometry: square(2, 48, 1) });
  await search.add({ name: 'Île-de-France', geometry: square(1, 47, 3) });
  await search.add({ name: 'Berlin', geometry: square(13, 52, 1) });
  await search.add({ name: 'paris, texas', geometry: square(-96, 33, 1) });
});

describe('search', () => {
  it('finds things containing a point, sorted by name', async () => {
    const result = await search.search({ lat: 48.5, lng: 2.5, page: 1, perPage: 10 });
    expect(result).toEqual({
      total: 2,
      page: 1,
      per_page: 10,
      results: [
        { id: 'id2', name: 'Île-de-France' },
        { id: 'id1', name: 'Paris' },
      ],
    });
  });

  it('finds things by name case-insensitively', async () => {
    const result = await search.search({ query: 'PARIS', page: 1, perPage: 10 });
    expect(result.results.map((r) => r.name)).toEqual(['Paris', 'paris, texas']);
  });

  it('requires both conditions when both are given', async () => {
    const result = await search.search({ lat: 48.5, lng: 2.5, query: 'paris', page: 1, perPage: 10 });
    expect(result.results.map((r) => r.name)).toEqual(['Paris']);
  });

  it('refuses a search with neither a point nor a name', async () => {
    await expect(search.search({ page: 1, perPage: 10 })).rejects.toBeInstanceOf(ValidationError);
  });

  it('pages with a total, and a page past the end is empty', async () => {
    const first = await search.search({ lat: 48.5, lng: 2.5, page: 1, perPage: 1 });
    const second = await search.search({ lat: 48.5, lng: 2.5, page: 2, perPage: 1 });
    const past = await search.search({ lat: 48.5, lng: 2.5, page: 3, perPage: 1 });
    expect([first.total, second.total, past.total]).toEqual([2, 2, 2]);
    expect([...first.results, ...second.results].map((r) => r.id).sort()).toEqual(['id1', 'id2']);
    expect(past.results).toEqual([]);
  });

  it('reads only the candidates of the point, not every thing', async () => {
    const reads = newReadCount();
    await search.search({ lat: 52.5, lng: 13.5, page: 1, perPage: 10 }, reads);
    expect(reads).toEqual({ indexEntries: 1, things: 1 });
  });

  it('answers a search by location and name from the geo index alone, filtered by the name rule', async () => {
    const reads = newReadCount();
    const result = await search.search({ lat: 48.5, lng: 2.5, query: 'DE-FR', page: 1, perPage: 10 }, reads);
    expect(result.results.map((r) => r.name)).toEqual(['Île-de-France']);
    // The two entries of the point's cell and their two geometries; the name index is not read.
    expect(reads).toEqual({ indexEntries: 2, things: 2 });
  });

  it('forgets a removed thing and counts it', async () => {
    expect(await search.monitor()).toEqual({ n_things: 4 });
    await search.remove('id1');
    expect((await search.search({ query: 'paris', page: 1, perPage: 10 })).results.map((r) => r.id)).toEqual([
      'id4',
    ]);
    expect(await search.monitor()).toEqual({ n_things: 3 });
    await expect(search.remove('id1')).rejects.toBeInstanceOf(NotFoundError);
  });

  it("gives a thing's polygon for drawing, and 404 for an unknown one", async () => {
    expect(await search.geometry('id1')).toEqual(square(2, 48, 1));
    await expect(search.geometry('nope')).rejects.toBeInstanceOf(NotFoundError);
  });
});
