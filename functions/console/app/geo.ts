/**
 * The search map's projection: plate carrée (equirectangular), longitude and
 * latitude straight onto x and y. Search treats a polygon's edges as straight
 * lines in longitude/latitude (geohash cells and turf's point-in-polygon), so
 * a thing is drawn as the same straight segments between its positions: no
 * great-circle arcs, no cutting or wrapping at ±180°. A ring from 170° to
 * -170° is the 340° band between them, as search reads it (the API asks for a
 * polygon across the antimeridian to be split into a MultiPolygon, RFC 7946
 * §3.1.9, and then each part is drawn on its own side).
 *
 * Shapes are drawn in a fixed frame of {@link FRAME_WIDTH} x
 * {@link FRAME_HEIGHT} SVG units showing the part of the world in a
 * {@link View}; paths are recomputed for each view (rather than scaling one
 * path with a transform) so that a park zoomed to fill the map keeps its
 * precision. Pure: no DOM.
 */

export type Position = number[];
export type PolygonCoordinates = Position[][];
export interface Shape {
  type: 'Polygon' | 'MultiPolygon';
  coordinates: PolygonCoordinates | PolygonCoordinates[];
}

/** West, south, east, north in degrees. */
export type Bbox = [number, number, number, number];

/**
 * The part of the world shown: its top-left corner in map degrees (x = longitude + 180,
 * y = 90 - latitude) and its width in degrees; its height is always half its width.
 */
export interface View {
  x: number;
  y: number;
  w: number;
}

export const FRAME_WIDTH = 1000;
export const FRAME_HEIGHT = 500;
export const VIEW_BOX = `0 0 ${FRAME_WIDTH} ${FRAME_HEIGHT}`;
export const WORLD: View = { x: 0, y: 0, w: 360 };
/** The closest zoom: 0.01° across (about 1 km), enough for a park to fill the map. */
export const MIN_WIDTH = 0.01;

const scaleOf = (view: View) => FRAME_WIDTH / view.w;
const round = (n: number) => Math.round(n * 100) / 100;

/** Frame units of a position (longitude, latitude) in a view. */
export function toFrame(view: View, lng: number, lat: number): [number, number] {
  const k = scaleOf(view);
  return [(lng + 180 - view.x) * k, (90 - lat - view.y) * k];
}

/** Decimals that keep a position picked on the map within about a tenth of a frame unit. */
function decimalsFor(view: View): number {
  return Math.min(6, Math.max(2, Math.ceil(Math.log10(scaleOf(view) * 10))));
}

/** The latitude and longitude under a frame point, clamped to the world and rounded to the view's precision. */
export function fromFrame(view: View, fx: number, fy: number): { lat: number; lng: number } {
  const k = scaleOf(view);
  const factor = 10 ** decimalsFor(view);
  const fix = (n: number, limit: number) =>
    Math.round(Math.max(-limit, Math.min(limit, n)) * factor) / factor || 0;
  return { lat: fix(90 - (view.y + fy / k), 90), lng: fix(view.x + fx / k - 180, 180) };
}

/** The polygons of a shape: a Polygon is one, a MultiPolygon its parts. */
export function polygonsOf(shape: Shape): PolygonCoordinates[] {
  return shape.type === 'Polygon'
    ? [shape.coordinates as PolygonCoordinates]
    : (shape.coordinates as PolygonCoordinates[]);
}

/**
 * One SVG path `d` per polygon of the shape, each ring a closed subpath of
 * straight segments, to be filled with `fill-rule="evenodd"`: inside the
 * outer ring and outside its holes. Parts of a MultiPolygon are separate
 * paths, so parts that overlap stay filled where they overlap (a point in
 * any part is a match).
 */
export function polygonPaths(shape: Shape, view: View): string[] {
  return polygonsOf(shape).map((rings) =>
    rings
      .map((ring) => {
        const points = ring.map(([lng = 0, lat = 0]) => {
          const [x, y] = toFrame(view, lng, lat);
          return `${round(x)},${round(y)}`;
        });
        return `M${points.join('L')}Z`;
      })
      .join(''),
  );
}

/** The box around every position of the shapes; undefined for none. */
export function bboxOf(shapes: readonly Shape[]): Bbox | undefined {
  let box: Bbox | undefined;
  for (const shape of shapes) {
    for (const rings of polygonsOf(shape)) {
      for (const [lng = 0, lat = 0] of rings[0] ?? []) {
        box = box
          ? [Math.min(box[0], lng), Math.min(box[1], lat), Math.max(box[2], lng), Math.max(box[3], lat)]
          : [lng, lat, lng, lat];
      }
    }
  }
  return box;
}

/** The view moved and sized to stay within the world and the zoom limits. */
export function clampView(view: View): View {
  const w = Math.min(360, Math.max(MIN_WIDTH, view.w));
  return {
    x: Math.min(360 - w, Math.max(0, view.x)),
    y: Math.min(180 - w / 2, Math.max(0, view.y)),
    w,
  };
}

/** The smallest view showing the whole box with a margin of `margin` (a fraction of its size) around it. */
export function fitView(box: Bbox, margin = 0.15): View {
  const [west, south, east, north] = box;
  const w = Math.max((east - west) * (1 + 2 * margin), (north - south) * 2 * (1 + 2 * margin));
  const cx = (west + east) / 2 + 180;
  const cy = 90 - (south + north) / 2;
  return clampView({ x: cx - w / 2, y: cy - w / 4, w });
}

/** Zoomed by `factor` (> 1 closer) about a frame point, which stays where it is on screen. */
export function zoomView(view: View, factor: number, fx = FRAME_WIDTH / 2, fy = FRAME_HEIGHT / 2): View {
  const k = scaleOf(view);
  const w = Math.min(360, Math.max(MIN_WIDTH, view.w / factor));
  const [px, py] = [view.x + fx / k, view.y + fy / k];
  const k2 = FRAME_WIDTH / w;
  return clampView({ x: px - fx / k2, y: py - fy / k2, w });
}

/** Moved by a distance in frame units (the content follows a drag: the view moves the other way). */
export function panView(view: View, dfx: number, dfy: number): View {
  const k = scaleOf(view);
  return clampView({ x: view.x - dfx / k, y: view.y - dfy / k, w: view.w });
}

/** An SVG transform that draws map-degree coordinates (x = longitude + 180, y = 90 - latitude) in a view. */
export function degreesTransform(view: View): string {
  const k = scaleOf(view);
  return `matrix(${k} 0 0 ${k} ${-view.x * k} ${-view.y * k})`;
}
