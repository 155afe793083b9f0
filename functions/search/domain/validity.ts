import { booleanWithin } from '@turf/boolean-within';
import { polygon } from '@turf/helpers';
import { kinks } from '@turf/kinks';

/** `[longitude, latitude]`, with an optional altitude that validity ignores. */
type Position = readonly number[];
type Ring = readonly Position[];

/** A problem with one ring of a polygon: its index and what is wrong. */
export interface RingProblem {
  ring: number;
  reason: string;
}

const lngLat = (position: Position): [number, number] => [position[0] ?? 0, position[1] ?? 0];
const sameLngLat = (a: Position, b: Position) => a[0] === b[0] && a[1] === b[1];

/** The ring without repeated consecutive positions (allowed by GeoJSON, but zero-length edges). */
function withoutRepeats(ring: Ring): [number, number][] {
  return ring.filter((position, i) => i === 0 || !sameLngLat(position, ring[i - 1] ?? [])).map(lngLat);
}

/**
 * Twice the area the ring encloses, with edges straight in longitude/latitude
 * as this service treats them (the shoelace formula); 0 when every position
 * lies on one line. turf's `area` measures on the sphere instead, where a
 * straight lat/lng line is not a great circle and collinear rings get an area.
 */
function planarArea(ring: readonly [number, number][]): number {
  let sum = 0;
  for (let i = 0; i + 1 < ring.length; i++) {
    const [x1, y1] = ring[i] as [number, number];
    const [x2, y2] = ring[i + 1] as [number, number];
    sum += x1 * y2 - x2 * y1;
  }
  return Math.abs(sum);
}

/** At least 4 positions, first = last: what GeoJSON (and the schema) require before validity means anything. */
function wellFormed(ring: Ring): boolean {
  const first = ring[0];
  const last = ring[ring.length - 1];
  return ring.length >= 4 && first !== undefined && last !== undefined && sameLngLat(first, last);
}

function ringProblem(ring: Ring): string | undefined {
  const positions = withoutRepeats(ring);
  const distinct = new Set(positions.map(([lng, lat]) => `${lng},${lat}`));
  if (distinct.size < 3) return `has ${distinct.size} distinct position(s); a ring needs at least 3`;
  const crossings = kinks(polygon([positions])).features;
  if (crossings.length > 0) {
    const [lng, lat] = crossings[0]?.geometry.coordinates ?? [];
    return `crosses itself (at [${lng}, ${lat}])`;
  }
  if (planarArea(positions) === 0) return 'encloses no area: all its positions lie on one line';
  return undefined;
}

/**
 * Why a polygon (outer ring first, then holes; each already closed, with 4+
 * positions) would not be valid in a spatial database: a ring with fewer than
 * 3 distinct positions or no area, a ring that crosses itself, a hole not
 * inside the outer ring. Checked with turf.
 */
export function polygonProblems(rings: readonly Ring[]): RingProblem[] {
  // Malformed rings are the schema's to report.
  if (!rings.every(wellFormed)) return [];
  const problems: RingProblem[] = [];
  rings.forEach((ring, index) => {
    const reason = ringProblem(ring);
    if (reason) problems.push({ ring: index, reason });
  });
  const [shell, ...holes] = rings;
  if (problems.length > 0 || !shell) return problems;
  const outer = polygon([withoutRepeats(shell)]);
  holes.forEach((hole, i) => {
    if (!booleanWithin(polygon([withoutRepeats(hole)]), outer)) {
      problems.push({ ring: i + 1, reason: 'is a hole that is not inside the outer ring (ring 0)' });
    }
  });
  return problems;
}
