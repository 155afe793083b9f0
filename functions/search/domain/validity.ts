import { booleanPointInPolygon } from '@turf/boolean-point-in-polygon';
import { booleanWithin } from '@turf/boolean-within';
import { polygon } from '@turf/helpers';

/** `[longitude, latitude]`, with an optional altitude that validity ignores. */
type Position = readonly number[];
type Ring = readonly Position[];
type Point = readonly [number, number];

/** A problem with one ring of a polygon: its index and what is wrong. */
export interface RingProblem {
  ring: number;
  reason: string;
}

const lngLat = (position: Position): Point => [position[0] ?? 0, position[1] ?? 0];
const same = (a: Position, b: Position) => a[0] === b[0] && a[1] === b[1];

/** The ring without repeated consecutive positions (allowed by GeoJSON, but zero-length edges). */
function withoutRepeats(ring: Ring): Point[] {
  return ring.filter((position, i) => i === 0 || !same(position, ring[i - 1] ?? [])).map(lngLat);
}

/** At least 4 positions, first = last: what GeoJSON (and the schema) require before validity means anything. */
function wellFormed(ring: Ring): boolean {
  const first = ring[0];
  const last = ring[ring.length - 1];
  return ring.length >= 4 && first !== undefined && last !== undefined && same(first, last);
}

/** Sign of the turn a -> b -> c: > 0 left, < 0 right, 0 straight (edges are straight in lng/lat). */
const orient = (a: Point, b: Point, c: Point) =>
  (b[0] - a[0]) * (c[1] - a[1]) - (b[1] - a[1]) * (c[0] - a[0]);

/** True if p, known to be on the line through a and b, lies within the segment a-b. */
const within = (a: Point, b: Point, p: Point) =>
  Math.min(a[0], b[0]) <= p[0] &&
  p[0] <= Math.max(a[0], b[0]) &&
  Math.min(a[1], b[1]) <= p[1] &&
  p[1] <= Math.max(a[1], b[1]);

/** Where segments a-b and c-d meet (cross, touch or overlap), or undefined if they do not. */
function meeting(a: Point, b: Point, c: Point, d: Point): Point | undefined {
  const o1 = orient(a, b, c);
  const o2 = orient(a, b, d);
  const o3 = orient(c, d, a);
  const o4 = orient(c, d, b);
  if (o1 * o2 < 0 && o3 * o4 < 0) {
    const t = o3 / (o3 - o4);
    return [a[0] + t * (b[0] - a[0]), a[1] + t * (b[1] - a[1])];
  }
  if (o1 === 0 && within(a, b, c)) return c;
  if (o2 === 0 && within(a, b, d)) return d;
  if (o3 === 0 && within(c, d, a)) return a;
  if (o4 === 0 && within(c, d, b)) return b;
  return undefined;
}

/** What the sweeps below compare: anything with a box. */
interface Boxed {
  west: number;
  east: number;
  south: number;
  north: number;
}

/** The box around `points`. */
function box(points: readonly Point[]): Boxed {
  let [west, south] = points[0] ?? [0, 0];
  let [east, north] = [west, south];
  for (const [lng, lat] of points) {
    west = Math.min(west, lng);
    east = Math.max(east, lng);
    south = Math.min(south, lat);
    north = Math.max(north, lat);
  }
  return { west, east, south, north };
}

/**
 * The first answer `test` gives for two of `items` whose boxes overlap. A sweep
 * over the items sorted by west edge compares only those pairs, and stops at the
 * first answer: a 10,000-edge check takes milliseconds even when every edge
 * crosses another. (turf's `kinks` compares every pair of edges and collects
 * every crossing: seconds and millions of points there.)
 */
function firstOverlapping<T extends Boxed, R>(
  items: readonly T[],
  test: (a: T, b: T) => R | undefined,
): R | undefined {
  const sorted = [...items].sort((a, b) => a.west - b.west);
  for (let x = 0; x < sorted.length; x++) {
    const a = sorted[x] as T;
    for (let y = x + 1; y < sorted.length; y++) {
      const b = sorted[y] as T;
      if (b.west > a.east) break;
      if (b.south > a.north || b.north < a.south) continue;
      const answer = test(a, b);
      if (answer !== undefined) return answer;
    }
  }
  return undefined;
}

/**
 * The edges of a closed ring (ring `ring` of several), each with its index, ends and box. Built
 * as plain literals, not spreads: the sweep reads them millions of times on a large polygon.
 */
const edgesOf = (points: readonly Point[], ring = 0) =>
  points.slice(0, -1).map((start, i) => {
    const end = points[i + 1] as Point;
    return {
      ring,
      i,
      start,
      end,
      west: Math.min(start[0], end[0]),
      east: Math.max(start[0], end[0]),
      south: Math.min(start[1], end[1]),
      north: Math.max(start[1], end[1]),
    };
  });

/**
 * The first place a closed ring (no repeated consecutive positions) touches
 * or crosses itself, or undefined if it is simple.
 */
function selfMeeting(ring: readonly Point[]): Point | undefined {
  const edges = edgesOf(ring);
  const count = edges.length;
  return firstOverlapping(edges, (e, f) => {
    const gap = Math.abs(e.i - f.i);
    if (gap !== 1 && gap !== count - 1) return meeting(e.start, e.end, f.start, f.end);
    // Neighbours share a vertex; they only meet elsewhere if one doubles back along the other.
    const [first, second] = (e.i + 1) % count === f.i ? [e, f] : [f, e];
    const shared = first.end;
    const doublesBack =
      orient(first.start, shared, second.end) === 0 &&
      (first.start[0] - shared[0]) * (second.end[0] - shared[0]) +
        (first.start[1] - shared[1]) * (second.end[1] - shared[1]) >
        0;
    return doublesBack ? shared : undefined;
  });
}

/**
 * The first two holes that meet (an edge of one crosses, touches or runs along
 * an edge of the other) or of which one lies inside the other, as indexes into
 * `holes`; undefined if every hole stands apart. Each ring is already simple.
 */
function holesMeeting(holes: readonly (readonly Point[])[]): [number, number] | undefined {
  const pair = (a: number, b: number): [number, number] => [Math.min(a, b), Math.max(a, b)];
  const edges = holes.flatMap((ring, hole) => edgesOf(ring, hole));
  const edgesMeet = firstOverlapping(edges, (e, f) =>
    e.ring !== f.ring && meeting(e.start, e.end, f.start, f.end) ? pair(e.ring, f.ring) : undefined,
  );
  if (edgesMeet) return edgesMeet;
  // No edges meet: a hole is inside another exactly when one of its positions is.
  const rings = holes.map((ring, hole) => {
    const { west, east, south, north } = box(ring);
    return { hole, ring, west, east, south, north };
  });
  const inside = (inner: (typeof rings)[number], outer: (typeof rings)[number]) =>
    inner.west >= outer.west &&
    inner.east <= outer.east &&
    inner.south >= outer.south &&
    inner.north <= outer.north &&
    booleanPointInPolygon([...(inner.ring[0] as Point)], polygon([outer.ring.map((p) => [...p])]));
  return firstOverlapping(rings, (a, b) => (inside(a, b) || inside(b, a) ? pair(a.hole, b.hole) : undefined));
}

function ringProblem(ring: Ring): string | undefined {
  const positions = withoutRepeats(ring);
  const distinct = new Set(positions.map(([lng, lat]) => `${lng},${lat}`));
  if (distinct.size < 3) return `has ${distinct.size} distinct position(s); a ring needs at least 3`;
  const [origin, next] = positions as [Point, Point];
  if (positions.every((p) => orient(origin, next, p) === 0)) {
    return 'encloses no area: all its positions lie on one line';
  }
  const meets = selfMeeting(positions);
  if (meets) return `crosses itself (at [${meets[0]}, ${meets[1]}])`;
  return undefined;
}

/**
 * Why a polygon (outer ring first, then holes) would not be valid in a
 * spatial database: a ring with fewer than 3 distinct positions or no area,
 * a ring that crosses or touches itself, a hole not inside the outer ring
 * (turf's `booleanWithin`), holes that meet or lie in each other. Malformed rings (too short, not closed) are the
 * schema's to report.
 */
export function polygonProblems(rings: readonly Ring[]): RingProblem[] {
  if (!rings.every(wellFormed)) return [];
  const problems: RingProblem[] = [];
  rings.forEach((ring, index) => {
    const reason = ringProblem(ring);
    if (reason) problems.push({ ring: index, reason });
  });
  const [shell, ...holes] = rings;
  if (problems.length > 0 || !shell) return problems;
  const outer = polygon([withoutRepeats(shell).map((p) => [...p])]);
  holes.forEach((hole, i) => {
    if (!booleanWithin(polygon([withoutRepeats(hole).map((p) => [...p])]), outer)) {
      problems.push({ ring: i + 1, reason: 'is a hole that is not inside the outer ring (ring 0)' });
    }
  });
  if (problems.length > 0) return problems;
  // Holes that meet or nest would leave a place both in and out of the polygon (search and the
  // console's map would disagree about it): a spatial database refuses them too.
  const meetingHoles = holesMeeting(holes.map(withoutRepeats));
  if (meetingHoles) {
    const [first, second] = meetingHoles.map((i) => i + 1);
    problems.push({
      ring: second as number,
      reason: `is a hole that meets or lies in another hole (ring ${first})`,
    });
  }
  return problems;
}
