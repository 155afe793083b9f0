import * as z from 'zod/mini';
import { trimmedText, ulidParam } from '../shared/http/fields.js';
import { defineRoutes } from '../shared/http/route.js';
import { pageOf, pageQuery } from '../shared/pagination.js';
import { searchResult } from './domain/search.js';
import { storedGeometry, thingInput } from './schema.js';

const byId = ulidParam('thing');

/** A thing in a list: what names it, not its polygon (`GET /things/{id}/geometry` has that). */
const thingSummary = z.object({ id: z.string(), name: z.string() });

/** A number from the query string; an empty value is not zero (classic zod's `z.preprocess`). */
const numberParam = () =>
  z.pipe(
    z.transform((value: unknown) => (value === '' ? Number.NaN : value)),
    z.coerce.number('must be a number'),
  );

const searchQuery = z
  .object({
    lat: z.optional(
      z.pipe(
        numberParam(),
        z.number().check(z.gte(-90, 'must be within [-90, 90]'), z.lte(90, 'must be within [-90, 90]')),
      ),
    ),
    lng: z.optional(
      z.pipe(
        numberParam(),
        z.number().check(z.gte(-180, 'must be within [-180, 180]'), z.lte(180, 'must be within [-180, 180]')),
      ),
    ),
    query: z.optional(trimmedText(200)),
    page: z._default(
      z.pipe(numberParam(), z.number().check(z.int('must be a whole number'), z.gte(1, 'must be 1 or more'))),
      1,
    ),
    per_page: z._default(
      z.pipe(
        numberParam(),
        z
          .number()
          .check(
            z.int('must be a whole number'),
            z.gte(1, 'must be between 1 and 100'),
            z.lte(100, 'must be between 1 and 100'),
          ),
      ),
      10,
    ),
  })
  .check(
    z.superRefine((q, context) => {
      if (q.lat !== undefined && q.lng === undefined)
        context.addIssue({ code: 'custom', path: ['lng'], message: 'is required with lat' });
      if (q.lng !== undefined && q.lat === undefined)
        context.addIssue({ code: 'custom', path: ['lat'], message: 'is required with lng' });
    }),
  );

export const searchRoutes = defineRoutes({
  add: {
    method: 'POST',
    path: '/things',
    summary: 'Indexes a named GeoJSON Polygon or MultiPolygon (holes allowed, up to 10,000 vertices)',
    auth: 'admin',
    body: thingInput,
    maxBodyBytes: 1024 * 1024,
    status: 201,
    response: z.object({ id: z.string() }),
    errors: [400, 413],
  },
  list: {
    method: 'GET',
    path: '/things',
    summary: 'Lists the things indexed (id and name), a page at a time, in no particular order',
    auth: 'admin',
    query: pageQuery,
    response: pageOf(thingSummary),
    errors: [400],
  },
  remove: {
    method: 'DELETE',
    path: '/things/{id}',
    summary: 'Removes a thing from the index and the count',
    auth: 'admin',
    params: byId,
    status: 204,
    errors: [400, 404],
  },
  geometry: {
    method: 'GET',
    path: '/things/{id}/geometry',
    summary: "A thing's GeoJSON Polygon or MultiPolygon, for drawing it",
    auth: 'none',
    params: byId,
    response: storedGeometry,
    errors: [400, 404],
  },
  search: {
    method: 'GET',
    path: '/search',
    summary:
      'Things whose polygon contains (lat, lng), boundary included, and/or whose name contains `query` (case-insensitive); sorted by name',
    auth: 'none',
    query: searchQuery,
    response: searchResult,
    errors: [400],
  },
  monitor: {
    method: 'GET',
    path: '/search/monitor',
    summary: 'How many things are indexed (a counter, no scan)',
    auth: 'none',
    response: z.object({ n_things: z.number() }),
  },
  health: {
    method: 'GET',
    path: '/search/health',
    summary: 'Answers 200 when the search tables are reachable',
    auth: 'none',
    response: z.object({ status: z.literal('ok'), table: z.literal('reachable') }),
  },
});
