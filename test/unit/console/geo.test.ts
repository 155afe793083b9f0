import booleanPointInPolygon from '@turf/boolean-point-in-polygon';
import { describe, expect, it } from 'vitest';
import {
  bboxOf,
  fitView,
  fromFrame,
  panView,
  polygonPaths,
  type Shape,
  toFrame,
  type View,
  WORLD,
  zoomView,
} from '../../../functions/console/app/geo.js';
import { contains } from '../../../functions/search/domain/cells.js';
import type { Geometry } from '../../../functions/search/schema.js';
import { box } from '../../support/geo.js';

/** The subpaths of a path `d` made of M, L and Z only, as lists of points. */
function subpathsOf(d: string): Array<Array<[number, number]>> {
  return d
    .split('M')
    .filter(Boolean)
    .map((part) =>
      part
        .replace(/Z$/, '')
        .split('L')
        .map((pair) => pair.split(',').map(Number) as [number, number]),
    );
}

/** SVG's even-odd rule for one path: a ray to the right crosses its edges an odd number of times. */
function inEvenOdd(d: string, x: number, y: number): boolean {
  let inside = false;
  for (const points of subpathsOf(d)) {
    for (let i = 0, j = points.length - 1; i < points.length; j = i++) {
      const [xi, yi] = points[i] as [number, number];
      const [xj, yj] = points[j] as [number, number];
      if (yi > y !== yj > y && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) inside = !inside;
    }
  }
  return inside;
}

/** Whether the map fills the frame point (x, y) for the shape: inside any of its paths. */
const drawnAt = (shape: Shape, view: View, x: number, y: number) =>
  polygonPaths(shape, view).some((d) => inEvenOdd(d, x, y));

/**
 * Every point of a grid over the view (offset so that no point lies on an edge
 * of the shapes below): drawn exactly where search's test (turf, the same
 * function the search service runs) finds the point inside.
 */
function expectDrawnAsSearched(shape: Shape, view: View, step: number) {
  const mismatches: string[] = [];
  let inside = 0;
  for (let fx = 3.7; fx < 1000; fx += step) {
    for (let fy = 2.9; fy < 500; fy += step / 2) {
      const { lat, lng } = fromFrame(view, fx, fy);
      const [x, y] = toFrame(view, lng, lat);
      const searched = contains(shape as Geometry, lat, lng);
      // On an edge: search counts it in, and a pixel there is half in; the grid steps over it.
      if (searched && !booleanPointInPolygon([lng, lat], shape as Geometry, { ignoreBoundary: true }))
        continue;
      if (searched) inside += 1;
      if (drawnAt(shape, view, x, y) !== searched) mismatches.push(`(${lat}, ${lng}) search: ${searched}`);
    }
  }
  expect(mismatches).toEqual([]);
  expect(inside).toBeGreaterThan(0);
}

const wideBox: Shape = { type: 'Polygon', coordinates: [box(-170, -60, 170, 60)] };
const withHole: Shape = { type: 'Polygon', coordinates: [box(-40, -20, 40, 30), box(-10, -5, 15, 10)] };
const multi: Shape = {
  type: 'MultiPolygon',
  coordinates: [
    [box(-120, 10, -60, 50), box(-100, 20, -80, 40)],
    [box(20, -40, 60, 0)],
    // Overlaps the part above: a point in both is still a match.
    [box(40, -20, 80, 20)],
  ],
};
/** Fiji across the antimeridian, split as the API asks: a part each side of ±180°. */
const splitFiji: Shape = {
  type: 'MultiPolygon',
  coordinates: [[box(177, -19, 180, -15)], [box(-180, -19, -178, -15)]],
};
/** The same ring unsplit: search reads its edges as straight, so it is the band from -178° to 177°. */
const unsplitFiji: Shape = {
  type: 'Polygon',
  coordinates: [
    [
      [177, -19],
      [-178, -19],
      [-178, -15],
      [177, -15],
      [177, -19],
    ],
  ],
};
const world: Shape = { type: 'Polygon', coordinates: [box(-180, -90, 180, 90)] };

describe('the search map draws what search matches', () => {
  it.each([
    ['a box 340° wide', wideBox],
    ['a polygon with a hole', withHole],
    ['a multipolygon with a holed part and overlapping parts', multi],
    ['a polygon split at the antimeridian', splitFiji],
    ['an unsplit polygon across the antimeridian (a band, as search reads it)', unsplitFiji],
    ['a world-sized polygon', world],
  ])('fills exactly the grid points search finds inside %s, on the whole world', (_name, shape) => {
    expectDrawnAsSearched(shape, WORLD, 7);
  });

  it.each([
    ['a polygon with a hole', withHole],
    ['a multipolygon', multi],
  ])('still does when the map is fitted to %s', (_name, shape) => {
    const view = fitView(bboxOf([shape]) ?? [0, 0, 0, 0]);
    expect(view.w).toBeLessThan(360);
    expectDrawnAsSearched(shape, view, 9);
  });

  it('keeps a park a few metres across exact when zoomed in on it', () => {
    const park: Shape = {
      type: 'Polygon',
      coordinates: [
        [
          [-73.9997, 40.7298],
          [-73.9963, 40.7322],
          [-73.9954, 40.7304],
          [-73.999, 40.7288],
          [-73.9997, 40.7298],
        ],
      ],
    };
    const view = fitView(bboxOf([park]) ?? [0, 0, 0, 0]);
    expect(view.w).toBeLessThanOrEqual(0.01);
    expectDrawnAsSearched(park, view, 11);
  });

  it('draws each ring as straight segments between its positions, whichever way it is wound', () => {
    const ring = box(20, 10, 24, 14);
    for (const coordinates of [[ring], [[...ring].reverse()]]) {
      const [d] = polygonPaths({ type: 'Polygon', coordinates }, WORLD);
      const points = subpathsOf(d ?? '')[0] ?? [];
      expect(points).toHaveLength(5);
      const xs = points.map(([x]) => x);
      const ys = points.map(([, y]) => y);
      expect([Math.min(...xs), Math.max(...xs)]).toEqual([555.56, 566.67]);
      expect([Math.min(...ys), Math.max(...ys)]).toEqual([211.11, 222.22]);
    }
  });
});

describe('zooming and panning the search map', () => {
  it('turns a frame point back into the latitude and longitude drawn there', () => {
    const [x, y] = toFrame(WORLD, 22, 12);
    expect(x).toBeCloseTo((202 / 360) * 1000, 9);
    expect(y).toBeCloseTo((78 / 360) * 1000, 9);
    expect(fromFrame(WORLD, (202 / 360) * 1000, (78 / 360) * 1000)).toEqual({ lat: 12, lng: 22 });
    expect(fromFrame(WORLD, -10, 600)).toEqual({ lat: -90, lng: -180 });
  });

  it('fits a box with a margin, keeping the map 2:1 and inside the world', () => {
    const view = fitView([20, 10, 24, 14]);
    expect(view.w).toBeCloseTo(4 * 1.3 * 2, 6);
    const [x0, y0] = toFrame(view, 20, 14);
    const [x1, y1] = toFrame(view, 24, 10);
    expect(x0).toBeGreaterThan(0);
    expect(x1).toBeLessThan(1000);
    expect((x0 + x1) / 2).toBeCloseTo(500, 6);
    expect((y0 + y1) / 2).toBeCloseTo(250, 6);
    expect(fitView([-180, -90, 180, 90])).toEqual(WORLD);
  });

  it('zooms about the pointer, which stays over the same place', () => {
    const before = fromFrame(WORLD, 700, 200);
    const zoomed = zoomView(WORLD, 4, 700, 200);
    expect(zoomed.w).toBe(90);
    expect(fromFrame(zoomed, 700, 200)).toEqual(before);
    expect(zoomView(zoomed, 1 / 100)).toEqual(WORLD);
    expect(zoomView(WORLD, 1e9).w).toBe(0.01);
  });

  it('pans with a drag and stops at the edges of the world', () => {
    const zoomed = zoomView(WORLD, 4);
    const moved = panView(zoomed, -100, 50);
    expect(moved.x).toBeCloseTo(zoomed.x + 9, 6);
    expect(moved.y).toBeCloseTo(zoomed.y - 4.5, 6);
    expect(panView(zoomed, 1e6, 1e6)).toEqual({ x: 0, y: 0, w: 90 });
    expect(panView(zoomed, -1e6, -1e6)).toEqual({ x: 270, y: 135, w: 90 });
  });
});
