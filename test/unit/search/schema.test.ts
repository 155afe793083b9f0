import { describe, expect, it } from 'vitest';
import { thingInput } from '../../../functions/search/schema.js';

const ring = [
  [0, 0],
  [1, 0],
  [1, 1],
  [0, 0],
];

function problems(input: unknown) {
  const result = thingInput.safeParse(input);
  return result.success ? [] : result.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
}

describe('thing validation', () => {
  it('accepts a Polygon with a hole and a MultiPolygon', () => {
    const hole = [
      [0.2, 0.2],
      [0.3, 0.2],
      [0.3, 0.3],
      [0.2, 0.2],
    ];
    expect(problems({ name: 'a', geometry: { type: 'Polygon', coordinates: [ring, hole] } })).toEqual([]);
    expect(
      problems({ name: 'b', geometry: { type: 'MultiPolygon', coordinates: [[ring], [ring]] } }),
    ).toEqual([]);
  });

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
      'coordinates.0: ring is not closed',
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
      'coordinates.0: a linear ring needs at least 4 positions',
    ],
    [
      'a longitude past 180',
      {
        type: 'Polygon',
        coordinates: [
          [
            [0, 0],
            [181, 0],
            [1, 1],
            [0, 0],
          ],
        ],
      },
      'coordinates.0.1.0: longitude must be within [-180, 180]',
    ],
    [
      'a string coordinate',
      {
        type: 'Polygon',
        coordinates: [
          [
            [0, 0],
            ['1', 0],
            [1, 1],
            [0, 0],
          ],
        ],
      },
      'coordinates.0.1',
    ],
    [
      'a Point',
      { type: 'Point', coordinates: [0, 0] },
      'must be a GeoJSON geometry of type Polygon or MultiPolygon',
    ],
  ])('rejects %s, naming where', (_case, geometry, expected) => {
    expect(problems({ name: 'x', geometry }).join(' | ')).toContain(expected);
  });

  it('rejects more than 10,000 vertices', () => {
    const big = Array.from({ length: 10_001 }, (_, i) => [Math.cos(i) * 0.001, Math.sin(i) * 0.001]);
    big[big.length - 1] = big[0] as number[];
    expect(problems({ name: 'x', geometry: { type: 'Polygon', coordinates: [big] } }).join()).toContain(
      'has 10001 vertices; at most 10000 are allowed',
    );
  });

  it('rejects an empty name and unknown fields', () => {
    expect(
      problems({ name: '  ', geometry: { type: 'Polygon', coordinates: [ring] }, colour: 'red' }),
    ).toEqual(['name: must not be empty', ': Unrecognized key: "colour"']);
  });
});
