import * as z from 'zod/mini';
import { NotFoundError, ValidationError } from '../../shared/errors.js';
import type { Geometry, ThingInput } from '../schema.js';
import { type Bbox, bboxContains, bboxOf, contains, coverCells, pointCells } from './cells.js';
import { nameContains } from './names.js';

/** What the cell index keeps per thing and cell: enough to sort, filter by name and pre-filter by box. */
export interface IndexEntry {
  id: string;
  name: string;
  bbox: Bbox;
}

export interface StoredThing {
  id: string;
  name: string;
  geometry: Geometry;
  bbox: Bbox;
  cells: string[];
}

/**
 * How many stored items a search read, the figure the indexes are judged by:
 * index entries (of the point's cells, = matches + cell overhead; or of the
 * name index, = occurrences of the query in names, plus anchors read) and
 * rows of the things table (geometries for the exact test).
 */
export interface ReadCount {
  indexEntries: number;
  things: number;
}

export const newReadCount = (): ReadCount => ({ indexEntries: 0, things: 0 });
export const itemsRead = (reads: ReadCount) => reads.indexEntries + reads.things;

/** Port to the search tables. */
export interface ThingStore {
  /** Stores the thing, its index entries and +1 on the counter, all or nothing. */
  add(thing: StoredThing): Promise<void>;
  /** Removes the thing, its index entries and -1 on the counter; false if it was not there. */
  remove(id: string): Promise<boolean>;
  /** Index entries of the given cells. */
  entriesIn(cells: string[], reads: ReadCount): Promise<IndexEntry[]>;
  /** The geometries of the given things. */
  geometries(ids: string[], reads: ReadCount): Promise<Map<string, Geometry>>;
  /**
   * Every thing whose lower-cased name contains `fragment` (lower-cased, not
   * empty), through the name index (see `names.ts`): reads the items holding
   * the fragment, not the table.
   */
  namesContaining(fragment: string, reads: ReadCount): Promise<Array<{ id: string; name: string }>>;
  count(): Promise<number>;
  ping(): Promise<void>;
}

export interface SearchQuery {
  lat?: number;
  lng?: number;
  query?: string;
  page: number;
  perPage: number;
}

/** One page of search results: the route's response schema and the domain type in one. */
export const searchResult = z.object({
  total: z.number(),
  page: z.number(),
  per_page: z.number(),
  results: z.array(z.object({ id: z.string(), name: z.string() })),
});
export type SearchResult = z.infer<typeof searchResult>;

const byName = (a: { name: string; id: string }, b: { name: string; id: string }) =>
  a.name.localeCompare(b.name, 'en') || a.id.localeCompare(b.id);

export function searchService({ store, newId }: { store: ThingStore; newId: () => string }) {
  /** Candidates from the point's cells, then box pre-filter, then the exact test. */
  async function atPoint(lat: number, lng: number, reads: ReadCount) {
    const entries = await store.entriesIn(pointCells(lat, lng), reads);
    const unique = new Map(entries.map((entry) => [entry.id, entry]));
    const inBox = [...unique.values()].filter((entry) => bboxContains(entry.bbox, lat, lng));
    const geometries = await store.geometries(
      inBox.map((entry) => entry.id),
      reads,
    );
    return inBox.filter((entry) => {
      const geometry = geometries.get(entry.id);
      return geometry !== undefined && contains(geometry, lat, lng);
    });
  }

  return {
    async add(input: ThingInput): Promise<{ id: string }> {
      const bbox = bboxOf(input.geometry);
      const id = newId();
      await store.add({
        id,
        name: input.name,
        geometry: input.geometry,
        bbox,
        cells: coverCells(input.geometry, bbox),
      });
      return { id };
    },

    async remove(id: string): Promise<void> {
      if (!(await store.remove(id))) throw new NotFoundError(`thing ${id} not found`);
    },

    /** Things containing the point and/or named like `query`, sorted by name, one page of them. */
    async search(q: SearchQuery, reads: ReadCount = newReadCount()): Promise<SearchResult> {
      const fragment = q.query?.toLowerCase();
      const hasPoint = q.lat !== undefined && q.lng !== undefined;
      if (!hasPoint && fragment === undefined) {
        throw new ValidationError([{ field: 'query', message: 'give lat and lng, query, or both' }]);
      }
      if (fragment === '') throw new ValidationError([{ field: 'query', message: 'must not be empty' }]);
      const matches =
        q.lat !== undefined && q.lng !== undefined
          ? (await atPoint(q.lat, q.lng, reads)).filter(
              (entry) => fragment === undefined || nameContains(entry.name, fragment),
            )
          : await store.namesContaining(fragment ?? '', reads);
      const sorted = matches.map(({ id, name }) => ({ id, name })).sort(byName);
      const start = (q.page - 1) * q.perPage;
      return {
        total: sorted.length,
        page: q.page,
        per_page: q.perPage,
        results: sorted.slice(start, start + q.perPage),
      };
    },

    /** The polygon of one thing, for drawing it. */
    async geometry(id: string): Promise<Geometry> {
      const geometry = (await store.geometries([id], newReadCount())).get(id);
      if (!geometry) throw new NotFoundError(`thing ${id} not found`);
      return geometry;
    },

    monitor: async () => ({ n_things: await store.count() }),

    health: async () => {
      await store.ping();
      return { status: 'ok', table: 'reachable' } as const;
    },
  };
}
