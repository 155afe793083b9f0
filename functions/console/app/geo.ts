/**
 * Drawing GeoJSON on an equirectangular SVG map whose user units are degrees:
 * x = longitude, y = -latitude, viewBox `-180 -90 360 180`. Pure.
 */

export type Position = number[];
export type PolygonCoordinates = Position[][];
export interface Shape {
  type: 'Polygon' | 'MultiPolygon';
  coordinates: PolygonCoordinates | PolygonCoordinates[];
}

export const VIEW_BOX = '-180 -90 360 180';

const round = (n: number) => Math.round(n * 100) / 100;

function ringPath(ring: Position[]): string {
  return `M${ring.map(([lng = 0, lat = 0]) => `${round(lng)},${round(-lat)}`).join('L')}Z`;
}

/** An SVG path `d` for a Polygon or MultiPolygon (holes drawn with the even-odd rule). */
export function pathOf(shape: Shape): string {
  const polygons =
    shape.type === 'Polygon'
      ? [shape.coordinates as PolygonCoordinates]
      : (shape.coordinates as PolygonCoordinates[]);
  return polygons.map((polygon) => polygon.map(ringPath).join('')).join('');
}

/** The latitude and longitude under a point of the map, in its user units; clamped to the globe. */
export function positionAt(x: number, y: number): { lat: number; lng: number } {
  const clamp = (n: number, limit: number) => Math.max(-limit, Math.min(limit, n));
  return { lat: round(clamp(-y, 90)), lng: round(clamp(x, 180)) };
}
