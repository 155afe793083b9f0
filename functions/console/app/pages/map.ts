/// <reference lib="dom" />
import { feature } from 'topojson-client';
import type { GeometryCollection, Topology } from 'topojson-specification';
import land110m from 'world-atlas/land-110m.json' with { type: 'json' };
import { pathOf, pathOfSpherical, pointOf, positionAt, type Shape, VIEW_BOX } from '../geo.js';
import { html, useMemo } from '../ui.js';

/** The land outline, from Natural Earth via world-atlas, bundled: nothing is fetched. */
function landPath(): string {
  const topology = land110m as unknown as Topology<{ land: GeometryCollection }>;
  return pathOfSpherical(feature(topology, topology.objects.land));
}

export interface MapShape {
  id: string;
  name: string;
  shape: Shape;
}

/** A world map; a click picks the latitude and longitude under the pointer. */
export function WorldMap(props: {
  shapes: MapShape[];
  marker?: { lat: number; lng: number } | undefined;
  onPick: (position: { lat: number; lng: number }) => void;
}) {
  const land = useMemo(landPath, []);
  function click(event: MouseEvent) {
    const svg = event.currentTarget as SVGSVGElement;
    const matrix = svg.getScreenCTM();
    if (!matrix) return;
    const point = new DOMPoint(event.clientX, event.clientY).matrixTransform(matrix.inverse());
    props.onPick(positionAt(point.x, point.y));
  }
  return html`<svg class="world" viewBox=${VIEW_BOX} role="img" onClick=${click}
      aria-label="World map: click a point to search there, or type a latitude and longitude below">
    <rect x="0" y="0" width="360" height="180" class="sea" />
    <path d=${land} class="land" />
    ${props.shapes.map(
      (
        s,
      ) => html`<path key=${s.id} d=${pathOf(s.shape)} class="thing" fill-rule="evenodd" data-thing=${s.name}>
        <title>${s.name}</title>
      </path>`,
    )}
    ${
      props.marker
        ? html`<circle cx=${pointOf(props.marker.lat, props.marker.lng)[0]}
            cy=${pointOf(props.marker.lat, props.marker.lng)[1]} r="1.5" class="marker" />`
        : null
    }
  </svg>`;
}
