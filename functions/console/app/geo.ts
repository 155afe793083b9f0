/**
 * Drawing GeoJSON on an equirectangular SVG map with d3-geo, which cuts
 * shapes at the antimeridian: 1 user unit per degree, viewBox `0 0 360 180`
 * (x = longitude + 180, y = 90 - latitude).
 */
import { type GeoPermissibleObjects, geoArea, geoEquirectangular, geoPath } from 'd3-geo';

export type Position = number[];
export type PolygonCoordinates = Position[][];
export interface Shape {
  type: 'Polygon' | 'MultiPolygon';
  coordinates: PolygonCoordinates | PolygonCoordinates[];
}

export const VIEW_BOX = '0 0 360 180';

const projection = geoEquirectangular()
  .scale(180 / Math.PI)
  .translate([180, 90]);
const path = geoPath(projection).digits(2);

/**
 * GeoJSON (RFC 7946) winds outer rings counter-clockwise; d3-geo reads that
 * as "everything but this ring". A polygon covering more than half the
 * sphere is taken to be such a one and its rings are reversed.
 */
function sphericalPolygon(polygon: PolygonCoordinates): PolygonCoordinates {
  return geoArea({ type: 'Polygon', coordinates: polygon }) > 2 * Math.PI
    ? polygon.map((ring) => [...ring].reverse())
    : polygon;
}

/** An SVG path `d` for a Polygon or MultiPolygon, whichever way its rings are wound. */
export function pathOf(shape: Shape): string {
  const wound =
    shape.type === 'Polygon'
      ? { type: 'Polygon', coordinates: sphericalPolygon(shape.coordinates as PolygonCoordinates) }
      : {
          type: 'MultiPolygon',
          coordinates: (shape.coordinates as PolygonCoordinates[]).map(sphericalPolygon),
        };
  return path(wound as GeoPermissibleObjects) ?? '';
}

/** An SVG path `d` for any GeoJSON already wound as d3-geo expects (the world-atlas outline). */
export function pathOfSpherical(object: GeoPermissibleObjects): string {
  return path(object) ?? '';
}

/** Map units of a position. */
export function pointOf(lat: number, lng: number): [number, number] {
  return projection([lng, lat]) ?? [lng + 180, 90 - lat];
}

/** The latitude and longitude under a point of the map (in its user units), to 2 decimals, on the globe. */
export function positionAt(x: number, y: number): { lat: number; lng: number } {
  const [lng = 0, lat = 0] = projection.invert?.([x, y]) ?? [x - 180, 90 - y];
  const clamp = (n: number, limit: number) => Math.round(Math.max(-limit, Math.min(limit, n)) * 100) / 100;
  return { lat: clamp(lat, 90), lng: clamp(lng, 180) };
}
