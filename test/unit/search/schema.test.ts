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
  it('accepts a Polygon with holes apart from each other, and a MultiPolygon', () => {
    const hole = [
      [0.2, 0.2],
      [0.3, 0.2],
      [0.3, 0.3],
      [0.2, 0.2],
    ];
    expect(problems({ name: 'a', geometry: { type: 'Polygon', coordinates: [ring, hole] } })).toEqual([]);
    const apart = hole.map(([lng, lat]) => [(lng as number) + 0.3, lat as number]);
    expect(problems({ name: 'a', geometry: { type: 'Polygon', coordinates: [ring, hole, apart] } })).toEqual(
      [],
    );
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

  const square = [
    [0, 0],
    [4, 0],
    [4, 4],
    [0, 4],
    [0, 0],
  ];

  it.each([
    [
      'a self-intersecting (bow-tie) ring',
      {
        type: 'Polygon',
        coordinates: [
          [
            [0, 0],
            [4, 4],
            [4, 0],
            [0, 4],
            [0, 0],
          ],
        ],
      },
      'coordinates.0: ring crosses itself (at [2, 2])',
    ],
    [
      'a hole outside its shell',
      {
        type: 'Polygon',
        coordinates: [
          square,
          [
            [5, 5],
            [6, 5],
            [6, 6],
            [5, 6],
            [5, 5],
          ],
        ],
      },
      'coordinates.1: ring is a hole that is not inside the outer ring (ring 0)',
    ],
    [
      'an all-same-point polygon',
      {
        type: 'Polygon',
        coordinates: [
          [
            [1, 1],
            [1, 1],
            [1, 1],
            [1, 1],
          ],
        ],
      },
      'coordinates.0: ring has 1 distinct position(s); a ring needs at least 3',
    ],
    [
      'a ring of collinear positions',
      {
        type: 'Polygon',
        coordinates: [
          [
            [0, 0],
            [1, 1],
            [2, 2],
            [0, 0],
          ],
        ],
      },
      'coordinates.0: ring encloses no area: all its positions lie on one line',
    ],
    [
      'a bad hole in the second polygon of a MultiPolygon',
      {
        type: 'MultiPolygon',
        coordinates: [
          [square],
          [
            square,
            [
              [8, 8],
              [9, 8],
              [9, 9],
              [8, 8],
            ],
          ],
        ],
      },
      'coordinates.1.1: ring is a hole that is not inside the outer ring (ring 0)',
    ],
    [
      'two holes that overlap',
      {
        type: 'Polygon',
        coordinates: [
          square,
          [
            [0.5, 0.5],
            [2, 0.5],
            [2, 2],
            [0.5, 2],
            [0.5, 0.5],
          ],
          [
            [1.5, 1.5],
            [3, 1.5],
            [3, 3],
            [1.5, 3],
            [1.5, 1.5],
          ],
        ],
      },
      'coordinates.2: ring is a hole that meets or lies in another hole (ring 1)',
    ],
    [
      'a hole inside another hole',
      {
        type: 'Polygon',
        coordinates: [
          square,
          [
            [0.5, 0.5],
            [3.5, 0.5],
            [3.5, 3.5],
            [0.5, 3.5],
            [0.5, 0.5],
          ],
          [
            [1, 1],
            [2, 1],
            [2, 2],
            [1, 1],
          ],
        ],
      },
      'coordinates.2: ring is a hole that meets or lies in another hole (ring 1)',
    ],
    [
      'two holes touching at a vertex',
      {
        type: 'Polygon',
        coordinates: [
          square,
          [
            [1, 1],
            [2, 1],
            [2, 2],
            [1, 1],
          ],
          [
            [2, 2],
            [3, 2],
            [3, 3],
            [2, 2],
          ],
        ],
      },
      'coordinates.2: ring is a hole that meets or lies in another hole (ring 1)',
    ],
  ])('rejects %s as invalid, naming the ring and the reason', (_case, geometry, expected) => {
    expect(problems({ name: 'x', geometry })).toEqual([`geometry.${expected}`]);
  });

  it('accepts repeated consecutive positions and a hole touching its shell at a vertex', () => {
    const hole = [
      [0, 0],
      [2, 1],
      [2, 2],
      [1, 2],
      [0, 0],
    ];
    const repeated = [[0, 0], [4, 0], [4, 0], ...square.slice(2)];
    expect(problems({ name: 'x', geometry: { type: 'Polygon', coordinates: [square, hole] } })).toEqual([]);
    expect(problems({ name: 'x', geometry: { type: 'Polygon', coordinates: [repeated] } })).toEqual([]);
  });

  it.each([1e-200, -1e-200, 5e-324])('rejects a coordinate of %s, which storage cannot hold', (tiny) => {
    const withTiny = [[0, 0], [4, tiny], ...square.slice(2)];
    expect(problems({ name: 'x', geometry: { type: 'Polygon', coordinates: [withTiny] } })).toEqual([
      'geometry.coordinates.0.1.1: must be 0 or of magnitude between 1e-130 and 1e+126',
    ]);
  });

  it('rejects an altitude storage cannot hold, and accepts 0', () => {
    const high = [[0, 0, 1e200], ...square.slice(1, 4), [0, 0, 1e200]];
    const zero = [[0, 0, 0], ...square.slice(1, 4), [0, 0, 0]];
    expect(problems({ name: 'x', geometry: { type: 'Polygon', coordinates: [high] } })).toContain(
      'geometry.coordinates.0.0.2: must be 0 or of magnitude between 1e-130 and 1e+126',
    );
    expect(problems({ name: 'x', geometry: { type: 'Polygon', coordinates: [zero] } })).toEqual([]);
  });
});
