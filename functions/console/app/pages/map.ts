/// <reference lib="dom" />
import { type GeoPermissibleObjects, geoEquirectangular, geoPath } from 'd3-geo';
import { feature } from 'topojson-client';
import type { GeometryCollection, Topology } from 'topojson-specification';
import land110m from 'world-atlas/land-110m.json' with { type: 'json' };
import {
  bboxOf,
  degreesTransform,
  FRAME_HEIGHT,
  FRAME_WIDTH,
  fitView,
  fromFrame,
  panView,
  polygonPaths,
  type Shape,
  toFrame,
  VIEW_BOX,
  type View,
  WORLD,
  zoomView,
} from '../geo.js';
import { Icon } from '../icons.js';
import { html, useEffect, useMemo, useRef, useState } from '../ui.js';

/**
 * The land outline (Natural Earth via world-atlas, bundled: nothing is
 * fetched) in map degrees. It is only the backdrop, and a spherical data set
 * (Russia and Antarctica cross ±180°), so d3-geo cuts it at the antimeridian;
 * things are drawn by `geo.ts`, straight as search reads them.
 */
function landPath(): string {
  const topology = land110m as unknown as Topology<{ land: GeometryCollection }>;
  const projection = geoEquirectangular()
    .scale(180 / Math.PI)
    .translate([180, 90]);
  return (
    geoPath(projection).digits(3)(feature(topology, topology.objects.land) as GeoPermissibleObjects) ?? ''
  );
}

export interface MapShape {
  id: string;
  name: string;
  shape: Shape;
}

/** Pixels a press may move and still count as a click rather than a drag. */
const CLICK_SLOP = 4;
const STEP = 1.6;

/**
 * A world map in plate carrée that draws things exactly as search matches
 * them. Wheel or the buttons zoom, a drag or the arrow keys pan, and it fits
 * itself to the things shown whenever they change. A click on a thing selects
 * it; a click elsewhere picks the latitude and longitude there. The results
 * table beside it is its text alternative.
 */
export function WorldMap(props: {
  shapes: MapShape[];
  marker?: { lat: number; lng: number } | undefined;
  hovered?: string | undefined;
  selected?: string | undefined;
  onPick: (position: { lat: number; lng: number }) => void;
  onHover: (id: string | undefined) => void;
  onSelect: (id: string) => void;
  /** Brings one thing into view (fitted to it); a new `request` number asks again for the same thing. */
  zoomTo?: { id: string; request: number } | undefined;
}) {
  const land = useMemo(landPath, []);
  const [view, setView] = useState<View>(WORLD);
  const svg = useRef<SVGSVGElement>(null);
  const press = useRef<{ x: number; y: number; view: View; dragged: boolean } | undefined>(undefined);
  const box = useMemo(() => bboxOf(props.shapes.map((s) => s.shape)), [props.shapes]);
  // Largest first, so a thing inside another is drawn over it and can be pointed at.
  const drawn = useMemo(() => {
    const area = (s: MapShape) => {
      const [w, south, e, n] = bboxOf([s.shape]) ?? [0, 0, 0, 0];
      return (e - w) * (n - south);
    };
    return [...props.shapes].sort((a, b) => area(b) - area(a));
  }, [props.shapes]);
  const fit = () => setView(box ? fitView(box) : WORLD);
  useEffect(fit, [box]);
  useEffect(() => {
    const target = props.shapes.find((s) => s.id === props.zoomTo?.id);
    const around = target && bboxOf([target.shape]);
    if (around) setView(fitView(around));
  }, [props.zoomTo?.request]);

  /** The frame point under a client point, and frame units per screen pixel (exact: the SVG's own matrix). */
  function frameAt(clientX: number, clientY: number): { fx: number; fy: number; perPixel: number } {
    const matrix = svg.current?.getScreenCTM();
    if (!matrix || matrix.a === 0) return { fx: FRAME_WIDTH / 2, fy: FRAME_HEIGHT / 2, perPixel: 1 };
    const point = new DOMPoint(clientX, clientY).matrixTransform(matrix.inverse());
    return { fx: point.x, fy: point.y, perPixel: 1 / matrix.a };
  }
  const thingUnder = (target: EventTarget | null) =>
    (target as Element | null)?.closest?.('[data-thing-id]')?.getAttribute('data-thing-id') ?? undefined;

  function onPointerDown(event: PointerEvent) {
    if (event.button !== 0) return;
    press.current = { x: event.clientX, y: event.clientY, view, dragged: false };
  }
  function onPointerMove(event: PointerEvent) {
    const start = press.current;
    if (!start) {
      props.onHover(thingUnder(event.target));
      return;
    }
    const [dx, dy] = [event.clientX - start.x, event.clientY - start.y];
    if (!start.dragged && Math.hypot(dx, dy) < CLICK_SLOP) return;
    if (!start.dragged) svg.current?.setPointerCapture(event.pointerId);
    start.dragged = true;
    const { perPixel } = frameAt(event.clientX, event.clientY);
    setView(panView(start.view, dx * perPixel, dy * perPixel));
  }
  function onPointerUp(event: PointerEvent) {
    const start = press.current;
    press.current = undefined;
    if (!start || start.dragged) return;
    const id = thingUnder(event.target);
    if (id) {
      props.onSelect(id);
      return;
    }
    const { fx, fy } = frameAt(event.clientX, event.clientY);
    props.onPick(fromFrame(view, fx, fy));
  }
  function onWheel(event: WheelEvent) {
    event.preventDefault();
    const { fx, fy } = frameAt(event.clientX, event.clientY);
    setView(zoomView(view, event.deltaY < 0 ? STEP : 1 / STEP, fx, fy));
  }
  function onKeyDown(event: KeyboardEvent) {
    const nudge = FRAME_WIDTH / 10;
    const moves: Record<string, () => View> = {
      ArrowLeft: () => panView(view, nudge, 0),
      ArrowRight: () => panView(view, -nudge, 0),
      ArrowUp: () => panView(view, 0, nudge),
      ArrowDown: () => panView(view, 0, -nudge),
      '+': () => zoomView(view, STEP),
      '=': () => zoomView(view, STEP),
      '-': () => zoomView(view, 1 / STEP),
      '0': () => WORLD,
      f: () => (box ? fitView(box) : WORLD),
    };
    const move = moves[event.key];
    if (!move) return;
    event.preventDefault();
    setView(move());
  }

  const marker = props.marker ? toFrame(view, props.marker.lng, props.marker.lat) : undefined;
  const zoom = 360 / view.w;
  return html`<div class="map">
    <div class="map-tools" role="toolbar" aria-label="Map view" aria-controls="world-map">
      <button type="button" class="icon-button" onClick=${() => setView(zoomView(view, STEP))}
        disabled=${view.w <= 0.0100001} aria-label="Zoom in" title="Zoom in"><${Icon} name="plus" /></button>
      <button type="button" class="icon-button" onClick=${() => setView(zoomView(view, 1 / STEP))}
        disabled=${view.w >= 360} aria-label="Zoom out" title="Zoom out"><${Icon} name="minus" /></button>
      <button type="button" onClick=${fit} disabled=${!box}><${Icon} name="fit" /><span class="tool-label">Fit to results</span></button>
      <button type="button" onClick=${() => setView(WORLD)} disabled=${view.w >= 360}>
        <${Icon} name="globe" /><span class="tool-label">Whole world</span></button>
      <span class="muted map-zoom" aria-live="polite">${zoom < 10 ? zoom.toFixed(1) : Math.round(zoom)}×</span>
    </div>
    <svg id="world-map" class="world" viewBox=${VIEW_BOX} role="img" tabindex="0" ref=${svg}
        data-view=${`${view.x} ${view.y} ${view.w}`}
        aria-label="World map of the results (the table below lists them): click a point to search there; drag or use the arrow keys to pan, the wheel or + and - to zoom, F to fit the results"
        onPointerDown=${onPointerDown} onPointerMove=${onPointerMove} onPointerUp=${onPointerUp}
        onPointerCancel=${() => {
          press.current = undefined;
        }}
        onPointerLeave=${() => !press.current && props.onHover(undefined)}
        onWheel=${onWheel} onKeyDown=${onKeyDown}>
      <rect x="0" y="0" width=${FRAME_WIDTH} height=${FRAME_HEIGHT} class="sea" />
      <g transform=${degreesTransform(view)}><path d=${land} class="land" /></g>
      ${drawn.map(
        (s) => html`<g key=${s.id} data-thing-id=${s.id}
            class=${`thing-group${s.id === props.hovered ? ' hovered' : ''}${s.id === props.selected ? ' selected' : ''}`}>
          <title>${s.name}</title>
          ${polygonPaths(s.shape, view).map(
            (d, i) => html`<path key=${i} d=${d} class="thing" fill-rule="evenodd" data-thing=${s.name} />`,
          )}
        </g>`,
      )}
      ${marker ? html`<circle cx=${marker[0]} cy=${marker[1]} r="5" class="marker" />` : null}
    </svg>
    <p class="muted map-help" aria-hidden="true">Click the map to search there, or a shape to pick its row.
      Drag or use the arrow keys to move; wheel or + and − to zoom.</p>
  </div>`;
}
