import geohash from 'ngeohash';
import { describe, expect, it } from 'vitest';
import {
  bboxOf,
  contains,
  coverCells,
  MAX_CELLS,
  pointCells,
} from '../../../functions/search/domain/cells.js';
import type { Geometry } from '../../../functions/search/schema.js';
import { box } from '../../support/geo.js';

const polygon = (...rings: number[][][]): Geometry => ({ type: 'Polygon', coordinates: rings as never });

/** The cover must contain the cell of every point inside: otherwise a location query would miss it. */
function expectFound(geometry: Geometry, lat: number, lng: number) {
  expect(contains(geometry, lat, lng)).toBe(true);
  const cover = new Set(coverCells(geometry));
  expect(pointCells(lat, lng).some((cell) => cover.has(cell))).toBe(true);
}

describe('containment and covering', () => {
  const donut = polygon(box(0, 0, 10, 10), box(4, 4, 6, 6));

  it('excludes a point in a hole and includes one in the ring around it', () => {
    expect(contains(donut, 5, 5)).toBe(false);
    expectFound(donut, 2, 2);
  });

  it('counts a point on an edge or a vertex as inside, and finds it through the index', () => {
    expectFound(donut, 0, 5); // bottom edge
    expectFound(donut, 10, 10); // vertex
    expectFound(donut, 4, 5); // edge of the hole
    expect(contains(donut, 10.000001, 5)).toBe(false);
  });

  it('handles each part of a MultiPolygon, and not the gap between them', () => {
    const islands: Geometry = {
      type: 'MultiPolygon',
      coordinates: [[box(0, 0, 1, 1)], [box(5, 5, 6, 6)]] as never,
    };
    expectFound(islands, 0.5, 0.5);
    expectFound(islands, 5.5, 5.5);
    expect(contains(islands, 3, 3)).toBe(false);
  });

  it('covers a thin diagonal polygon crossing many cells with the cells it touches, not its bounding box', () => {
    const sliver = polygon([
      [0, 0],
      [3, 3.00001],
      [3, 3],
      [0.00001, 0],
      [0, 0],
    ]);
    const cover = coverCells(sliver);
    expect(cover.length).toBeGreaterThan(1);
    expect(cover.length).toBeLessThanOrEqual(MAX_CELLS);
    for (const t of [0.1, 0.5, 1.7, 2.9]) expectFound(sliver, t * 1.0000033, t);
    const precision = cover[0]?.length ?? 0;
    const bboxCells = geohash.bboxes(0, 0, 3.00001, 3, precision).length;
    expect(cover.length).toBeLessThan(bboxCells);
  });

  it('works near the poles', () => {
    const arctic = polygon(box(-180, 85, 180, 90));
    expectFound(arctic, 90, 0);
    expectFound(arctic, 89.9, -179.9);
    expect(contains(arctic, 84.9, 0)).toBe(false);
    const antarctic = polygon(box(-30, -90, 30, -80));
    expectFound(antarctic, -89.99, 10);
  });

  it('works across the antimeridian when the polygon is split there, as GeoJSON requires', () => {
    const fiji: Geometry = {
      type: 'MultiPolygon',
      coordinates: [[box(178, -19, 180, -16)], [box(-180, -19, -179, -16)]] as never,
    };
    expectFound(fiji, -17, 179.5);
    expectFound(fiji, -17, -179.5);
    expectFound(fiji, -17, 180);
    expect(contains(fiji, -17, 0)).toBe(false);
    expect(contains(fiji, -17, -178)).toBe(false);
  });

  it('covers a huge polygon with few coarse cells and a tiny one with fine cells', () => {
    const continent = coverCells(polygon(box(-120, 20, -70, 50)));
    const block = coverCells(polygon(box(2.35, 48.85, 2.351, 48.851)));
    expect(continent.length).toBeLessThanOrEqual(MAX_CELLS);
    expect(continent[0]?.length).toBeLessThan(block[0]?.length ?? 0);
    expect(block[0]).toHaveLength(7);
  });

  it('reports the bounding box', () => {
    expect(bboxOf(donut)).toEqual([0, 0, 10, 10]);
  });
});

describe('point cells', () => {
  it('are the cell of the point at every precision, coarse to fine', () => {
    const cells = pointCells(48.8584, 2.2945);
    expect(cells).toHaveLength(7);
    expect(cells[6]).toBe(geohash.encode(48.8584, 2.2945, 7));
    expect(cells.map((cell) => cell.length)).toEqual([1, 2, 3, 4, 5, 6, 7]);
  });
});
