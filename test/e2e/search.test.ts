import { randomUUID } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { GetFunctionConfigurationCommand } from '@aws-sdk/client-lambda';
import { beforeAll, describe, expect, it } from 'vitest';
import { searchService } from '../../functions/search/service.js';
import { emfDocumentsIn } from '../support/emf.js';
import { call, type Person, signUpAdmin } from './people.js';
import { api, lambda, logLines, resources, runScript, waitFor } from './support.js';

const tag = randomUUID().slice(0, 8);
const square = (west: number, south: number, east: number, north: number) => [
  [
    [west, south],
    [east, south],
    [east, north],
    [west, north],
    [west, south],
  ],
];
const feature = (name: string | undefined, geometry: unknown) => ({
  type: 'Feature',
  properties: { name },
  geometry,
});

/** A 6 x 5 grid of 1-degree squares, a big square over part of it, and a square with a hole. */
const valid = [
  ...Array.from({ length: 30 }, (_, i) => {
    const row = Math.floor(i / 6);
    const col = i % 6;
    return feature(`grid-${tag}-${row}-${col}`, {
      type: 'Polygon',
      coordinates: square(10 + col, 40 + row, 11 + col, 41 + row),
    });
  }),
  feature(`big-${tag}`, { type: 'Polygon', coordinates: square(10, 40, 13, 42) }),
  feature(`donut-${tag}`, {
    type: 'Polygon',
    coordinates: [...square(20, 40, 24, 44), ...square(21, 41, 23, 43)],
  }),
];
const invalid = [
  feature(`open-${tag}`, {
    type: 'Polygon',
    coordinates: [
      [
        [0, 0],
        [1, 0],
        [1, 1],
        [0, 1],
      ],
    ],
  }),
  feature(`strings-${tag}`, {
    type: 'Polygon',
    coordinates: [
      [
        [0, 0],
        ['1', 0],
        [1, 1],
        [0, 0],
      ],
    ],
  }),
  feature(undefined, { type: 'Polygon', coordinates: square(0, 0, 1, 1) }),
];

const search = (query: string) => api(`search?${query}`);
const names = (body: { results: Array<{ name: string }> }) => body.results.map((r) => r.name);
let countBefore: number;
let admin: Person;

beforeAll(async () => {
  admin = await signUpAdmin();
  countBefore = (await api('search/monitor')).body.n_things;
  const file = path.join(mkdtempSync(path.join(tmpdir(), 'things-')), 'things.geojson');
  writeFileSync(file, JSON.stringify({ type: 'FeatureCollection', features: [...valid, ...invalid] }));
  const run = await runScript('bin/things-load.ts', [file], { API_TOKEN: admin.accessToken });
  expect(run.status, run.stderr).toBe(0);
  expect(run.stdout).toContain(`loaded ${valid.length} of ${valid.length + invalid.length} features`);
  expect(run.stdout).toContain(`rejected ${invalid.length}:`);
  expect(run.stdout).toMatch(/feature 32 \(open-\w+\): geometry\.coordinates\.0: ring is not closed/);
  expect(run.stdout).toMatch(/feature 33 \(strings-\w+\): geometry\.coordinates\.0\.1/);
  expect(run.stdout).toMatch(/feature 34: name: is required/);
});

describe('npm run things:load', () => {
  it('loaded every valid feature and counted them', async () => {
    expect((await api('search/monitor')).body.n_things).toBe(countBefore + valid.length);
  });
});

describe('GET /search', () => {
  it('finds the things whose polygon contains the point, sorted by name', async () => {
    // Only this file's things (named with its tag): other suites add things to the same deployment.
    const response = await search(`lat=40.5&lng=10.5&query=${tag}`);
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ total: 2, page: 1, per_page: 10 });
    expect(names(response.body)).toEqual([`big-${tag}`, `grid-${tag}-0-0`]);
  });

  it('counts a point on a shared edge as inside both squares', async () => {
    expect(names((await search(`lat=41&lng=10.5&query=${tag}`)).body)).toEqual([
      `big-${tag}`,
      `grid-${tag}-0-0`,
      `grid-${tag}-1-0`,
    ]);
  });

  it('leaves out a point in a hole but finds one in the ring', async () => {
    expect((await search(`lat=42&lng=22&query=${tag}`)).body.total).toBe(0);
    expect(names((await search(`lat=40.5&lng=20.5&query=${tag}`)).body)).toEqual([`donut-${tag}`]);
  });

  it('finds by name, case-insensitively', async () => {
    const response = await search(`query=${encodeURIComponent(`GRID-${tag.toUpperCase()}-2-`)}`);
    expect(names(response.body)).toEqual(Array.from({ length: 6 }, (_, c) => `grid-${tag}-2-${c}`));
  });

  it('requires both the point and the name when both are given', async () => {
    expect(names((await search(`lat=40.5&lng=10.5&query=BIG-${tag}`)).body)).toEqual([`big-${tag}`]);
    expect((await search(`lat=40.5&lng=20.5&query=big-${tag}`)).body.total).toBe(0);
  });

  it('pages through the results, each exactly once, and a page past the end is empty', async () => {
    const seen: string[] = [];
    for (let page = 1; page <= 5; page++) {
      const response = await search(`query=grid-${tag}&per_page=7&page=${page}`);
      expect(response.body.total).toBe(30);
      seen.push(...names(response.body));
    }
    expect(seen).toHaveLength(30);
    expect(new Set(seen).size).toBe(30);
    expect(seen).toEqual([...seen].sort());
    const past = await search(`query=grid-${tag}&per_page=7&page=6`);
    expect(past.status).toBe(200);
    expect(past.body).toMatchObject({ total: 30, page: 6, results: [] });
  });

  it.each([
    ['', 'query', 'give lat and lng, query, or both'],
    ['lat=40', 'query.lng', 'is required with lat'],
    ['lng=10', 'query.lat', 'is required with lng'],
    ['lat=91&lng=0', 'query.lat', 'must be within [-90, 90]'],
    ['lat=0&lng=-181', 'query.lng', 'must be within [-180, 180]'],
    ['lat=abc&lng=0', 'query.lat', 'must be a number'],
    ['lat=&lng=0', 'query.lat', 'must be a number'],
    ['query=x&per_page=0', 'query.per_page', 'must be between 1 and 100'],
    ['query=x&per_page=101', 'query.per_page', 'must be between 1 and 100'],
    ['query=x&page=0', 'query.page', 'must be 1 or more'],
  ])('refuses ?%s with 400 naming %s', async (query, field, message) => {
    const response = await search(query);
    expect(response.status).toBe(400);
    expect(response.body.fields).toContainEqual({ field, message });
  });

  it('emits the metrics of every route as CloudWatch EMF: a search counted and timed under its operation', async () => {
    const config = await lambda.send(
      new GetFunctionConfigurationCommand({ FunctionName: resources.functionName(searchService, 'search') }),
    );
    const group = config.LoggingConfig?.LogGroup ?? '';
    const emfLines = async () => emfDocumentsIn(await logLines(group, 'search.search'));
    // Other suites search the same deployment: this search's line is the one that comes after them.
    const before = (await emfLines()).length;
    await search('lat=40.5&lng=10.5');
    const lines = await waitFor('the EMF line of this search', async () => {
      const now = await emfLines();
      return now.length > before ? now : undefined;
    });
    const emf = lines.at(-1);
    expect(emf?._aws?.CloudWatchMetrics?.[0]).toMatchObject({
      Namespace: 'Microservices',
      Dimensions: expect.arrayContaining([['service', 'operation'], ['service']]),
    });
    expect(emf).toMatchObject({
      service: 'search',
      operation: 'search.search',
      Requests: 1,
      Errors4xx: 0,
      Errors5xx: 0,
      Latency: expect.any(Number),
    });
  });
});

describe('POST /things validation', () => {
  const post = (body: unknown) => call('POST', 'things', { as: admin, body });
  // A circle of 10,001 positions around (0, 0): a valid ring, whatever its length.
  const big = Array.from({ length: 10_001 }, (_, i) => {
    const angle = (i / 10_000) * 2 * Math.PI;
    return [Math.cos(angle) * 0.01, Math.sin(angle) * 0.01];
  });
  big[big.length - 1] = big[0] as number[];

  it.each([
    [
      'an unclosed ring',
      {
        type: 'Polygon',
        coordinates: [
          [
            [0, 0],
            [1, 0],
            [1, 1],
            [0, 1],
          ],
        ],
      },
      'body.geometry.coordinates.0',
      'ring is not closed',
    ],
    [
      'fewer than 4 positions',
      {
        type: 'Polygon',
        coordinates: [
          [
            [0, 0],
            [1, 1],
            [0, 0],
          ],
        ],
      },
      'body.geometry.coordinates.0',
      'at least 4 positions',
    ],
    [
      'a longitude outside [-180, 180]',
      { type: 'Polygon', coordinates: square(179, 0, 181, 1) },
      'body.geometry.coordinates.0.1.0',
      'longitude must be within',
    ],
    [
      'a latitude outside [-90, 90]',
      { type: 'Polygon', coordinates: square(0, 89, 1, 91) },
      'body.geometry.coordinates.0.2.1',
      'latitude must be within',
    ],
    [
      'a string coordinate',
      {
        type: 'Polygon',
        coordinates: [
          [
            [0, 0],
            [1, 'north'],
            [1, 1],
            [0, 0],
          ],
        ],
      },
      'body.geometry.coordinates.0.1',
      'must be [longitude, latitude] numbers',
    ],
    ['more than 10,000 vertices', { type: 'Polygon', coordinates: [big] }, 'body.geometry', 'at most 10000'],
    [
      'two holes that overlap',
      {
        type: 'Polygon',
        coordinates: [...square(0, 0, 4, 4), ...square(0.5, 0.5, 2, 2), ...square(1.5, 1.5, 3, 3)],
      },
      'body.geometry.coordinates.2',
      'meets or lies in another hole (ring 1)',
    ],
    [
      'a LineString',
      {
        type: 'LineString',
        coordinates: [
          [0, 0],
          [1, 1],
        ],
      },
      'body.geometry.type',
      'Polygon or MultiPolygon',
    ],
  ])('refuses %s with 400 naming the problem', async (_case, geometry, field, message) => {
    const response = await post({ name: `bad-${tag}`, geometry });
    expect(response.status).toBe(400);
    expect(response.body.fields).toContainEqual({ field, message: expect.stringContaining(message) });
  });

  it('refuses an empty name', async () => {
    const response = await post({
      name: ' ',
      geometry: { type: 'Polygon', coordinates: square(0, 0, 1, 1) },
    });
    expect(response.status).toBe(400);
    expect(response.body.fields).toEqual([{ field: 'body.name', message: 'must not be empty' }]);
  });

  it('accepts exactly 10,000 vertices', async () => {
    const ring = big.slice(0, 10_000);
    ring[ring.length - 1] = ring[0] as number[];
    const response = await post({ name: `many-${tag}`, geometry: { type: 'Polygon', coordinates: [ring] } });
    expect(response.status).toBe(201);
    expect((await search(`lat=0&lng=0&query=many-${tag}`)).body.total).toBe(1);
    expect((await call('DELETE', `things/${response.body.id}`, { as: admin })).status).toBe(204);
  });
});

describe('DELETE /things/{id}', () => {
  it('removes the thing from every search and from the count', async () => {
    const created = await call('POST', 'things', {
      as: admin,
      body: { name: `temp-${tag}`, geometry: { type: 'Polygon', coordinates: square(30, 30, 31, 31) } },
    });
    expect(created.status).toBe(201);
    const before = (await api('search/monitor')).body.n_things;
    expect(names((await search('lat=30.5&lng=30.5')).body)).toContain(`temp-${tag}`);

    expect((await call('DELETE', `things/${created.body.id}`, { as: admin })).status).toBe(204);
    expect(names((await search('lat=30.5&lng=30.5')).body)).not.toContain(`temp-${tag}`);
    expect((await search(`query=temp-${tag}`)).body.total).toBe(0);
    expect((await api('search/monitor')).body.n_things).toBe(before - 1);
    expect((await call('DELETE', `things/${created.body.id}`, { as: admin })).status).toBe(404);
  });

  it('refuses an id that cannot be a thing with 400', async () => {
    expect((await call('DELETE', 'things/not-an-id', { as: admin })).status).toBe(400);
  });
});

describe('GET /search/health', () => {
  it('answers 200 when the tables are reachable', async () => {
    expect((await api('search/health')).body).toEqual({ status: 'ok', table: 'reachable' });
  });
});
