import turfBbox from '@turf/bbox';
import booleanIntersects from '@turf/boolean-intersects';
import booleanPointInPolygon from '@turf/boolean-point-in-polygon';
import { polygon } from '@turf/helpers';
import geohash from 'ngeohash';
import type { Geometry } from '../schema.js';

/**
 * Geohash cells: a planar grid in longitude/latitude, like the exact test
 * (turf treats edges as straight lines in lng/lat), so a cover and the test
 * agree on every edge. Each polygon is covered at the finest precision that
 * needs at most {@link MAX_CELLS} cells; a point is looked up in its cell at
 * every precision, so one location query reads {@link MAX_PRECISION} cell
 * partitions whatever the size of the table.
 */
export const MAX_PRECISION = 7;
export const MAX_CELLS = 32;

export type Bbox = [west: number, south: number, east: number, north: number];

export function bboxOf(geometry: Geometry): Bbox {
  return turfBbox(geometry) as Bbox;
}

function cellsIn(bbox: Bbox, precision: number): string[] {
  const [west, south, east, north] = bbox;
  return geohash.bboxes(south, west, north, east, precision);
}

/** Rough number of cells of `precision` over `bbox`, to skip precisions that are clearly too fine. */
function estimate(bbox: Bbox, precision: number): number {
  const [south, west, north, east] = geohash.decode_bbox(geohash.encode(bbox[1], bbox[0], precision));
  const height = north - south;
  const width = east - west;
  return (Math.ceil((bbox[3] - bbox[1]) / height) + 1) * (Math.ceil((bbox[2] - bbox[0]) / width) + 1);
}

/** The cells that intersect the geometry (touching counts), at the finest precision needing <= MAX_CELLS. */
export function coverCells(geometry: Geometry, bbox: Bbox = bboxOf(geometry)): string[] {
  for (let precision = MAX_PRECISION; precision >= 1; precision--) {
    if (precision > 1 && estimate(bbox, precision) > MAX_CELLS * 8) continue;
    const cells = cellsIn(bbox, precision).filter((cell) => {
      const [south, west, north, east] = geohash.decode_bbox(cell);
      const rectangle = polygon([
        [
          [west, south],
          [east, south],
          [east, north],
          [west, north],
          [west, south],
        ],
      ]);
      return booleanIntersects(rectangle, geometry);
    });
    if (cells.length <= MAX_CELLS || precision === 1) return cells;
  }
  return [];
}

/** The cell containing the point at every precision: the only partitions a location query reads. */
export function pointCells(lat: number, lng: number): string[] {
  const finest = geohash.encode(lat, lng, MAX_PRECISION);
  return Array.from({ length: MAX_PRECISION }, (_, i) => finest.slice(0, i + 1));
}

export function bboxContains([west, south, east, north]: Bbox, lat: number, lng: number): boolean {
  return lng >= west && lng <= east && lat >= south && lat <= north;
}

/** Exact point-in-polygon; holes exclude, the boundary (edges and vertices) includes. */
export function contains(geometry: Geometry, lat: number, lng: number): boolean {
  return booleanPointInPolygon([lng, lat], geometry, { ignoreBoundary: false });
}
