import { describe, expect, it } from 'vitest';
import { pathOf, pointOf, positionAt } from '../../../functions/console/app/geo.js';

const numbersIn = (d: string) => (d.match(/-?\d+(\.\d+)?/g) ?? []).map(Number);
const square: number[][] = [
  [20, 10],
  [24, 10],
  [24, 14],
  [20, 14],
  [20, 10],
];

describe('map drawing', () => {
  it.each([
    ['counter-clockwise (RFC 7946)', square],
    ['clockwise', [...square].reverse()],
  ])('draws a %s polygon as itself, not as the rest of the world', (_case, ring) => {
    const xs = numbersIn(pathOf({ type: 'Polygon', coordinates: [ring] }));
    expect(xs.length).toBeGreaterThan(0);
    const [x, y] = [xs.filter((_, i) => i % 2 === 0), xs.filter((_, i) => i % 2 === 1)];
    expect(Math.min(...x)).toBeCloseTo(200, 0);
    expect(Math.max(...x)).toBeCloseTo(204, 0);
    expect(Math.min(...y)).toBeCloseTo(76, 0);
    expect(Math.max(...y)).toBeCloseTo(80, 0);
  });

  it('cuts a polygon across the antimeridian instead of drawing a band across the map', () => {
    const fiji = [
      [177, -18],
      [-178, -18],
      [-178, -15],
      [177, -15],
      [177, -18],
    ];
    const d = pathOf({ type: 'Polygon', coordinates: [fiji] });
    expect(d.match(/M/g)?.length).toBe(2);
    const x = numbersIn(d).filter((_, i) => i % 2 === 0);
    expect(x.every((n) => n <= 2.01 || n >= 356.99)).toBe(true);
  });

  it('turns a point of the map back into the latitude and longitude drawn there', () => {
    expect(positionAt(202, 78)).toEqual({ lat: 12, lng: 22 });
    expect(pointOf(12, 22)).toEqual([202, 78]);
    expect(positionAt(10, 200)).toEqual({ lat: -90, lng: -170 });
  });
});
