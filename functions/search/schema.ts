import * as z from 'zod/mini';
import { nameText, storedNumber } from '../shared/http/fields.js';
import { polygonProblems } from './domain/validity.js';

/** Most vertices a thing's geometry may have, over all its rings. */
export const MAX_VERTICES = 10_000;

const longitude = storedNumber({
  range: { min: -180, max: 180, message: 'longitude must be within [-180, 180]' },
});
const latitude = storedNumber({ range: { min: -90, max: 90, message: 'latitude must be within [-90, 90]' } });
const altitude = storedNumber();

/** `[longitude, latitude]`, optionally with an altitude, as GeoJSON has it. */
const position = z.union([z.tuple([longitude, latitude]), z.tuple([longitude, latitude, altitude])], {
  error: 'must be [longitude, latitude] numbers',
});

const ring = z.array(position, 'must be an array of positions').check(
  z.minLength(4, 'a linear ring needs at least 4 positions'),
  z.refine(
    (positions: z.infer<typeof position>[]) => {
      const first = positions[0];
      const last = positions[positions.length - 1];
      return first !== undefined && last !== undefined && first[0] === last[0] && first[1] === last[1];
    },
    { message: 'ring is not closed: its first and last positions differ' },
  ),
);

const polygonCoordinates = z
  .array(ring, 'must be an array of rings')
  .check(z.minLength(1, 'a polygon needs an outer ring'));

export const polygonGeometry = z.strictObject({
  type: z.literal('Polygon'),
  coordinates: polygonCoordinates,
});
export const multiPolygonGeometry = z.strictObject({
  type: z.literal('MultiPolygon'),
  coordinates: z
    .array(polygonCoordinates, 'must be an array of polygons')
    .check(z.minLength(1, 'needs at least one polygon')),
});

/** A stored thing's geometry as the API gives it back (it was checked whole when it was added). */
export const storedGeometry = z.discriminatedUnion('type', [polygonGeometry, multiPolygonGeometry]);

/** A GeoJSON Polygon or MultiPolygon (holes allowed), longitude first, edges straight in lat/lng. */
export const geometry = z
  .discriminatedUnion('type', [polygonGeometry, multiPolygonGeometry], {
    error: 'must be a GeoJSON geometry of type Polygon or MultiPolygon',
  })
  .check(
    z.superRefine((value, context) => {
      const polygons = value.type === 'Polygon' ? [value.coordinates] : value.coordinates;
      const vertices = polygons.flat().reduce((sum, ring) => sum + ring.length, 0);
      if (vertices > MAX_VERTICES) {
        context.addIssue({
          code: 'custom',
          message: `has ${vertices} vertices; at most ${MAX_VERTICES} are allowed`,
        });
        return;
      }
      polygons.forEach((rings, p) => {
        for (const { ring, reason } of polygonProblems(rings)) {
          const path = value.type === 'Polygon' ? ['coordinates', ring] : ['coordinates', p, ring];
          context.addIssue({ code: 'custom', path, message: `ring ${reason}` });
        }
      });
    }),
    z.describe(
      'Beyond this schema, each polygon must be valid: rings closed (first position = last), ' +
        'each with at least 3 distinct positions and a non-zero area, no ring crossing itself, ' +
        'holes inside their outer ring and apart from each other (not crossing, touching or inside one ' +
        'another); at most 10,000 vertices in all. Edges are straight lines in ' +
        'longitude/latitude (not great circles), and longitudes are not wrapped: a polygon across the ' +
        'antimeridian must be split at ±180° into a MultiPolygon (RFC 7946, 3.1.9); unsplit, a ring from ' +
        '170 to -170 is the 340° band between them.',
    ),
  );

export type Geometry = z.infer<typeof geometry>;

export const thingName = nameText(200);

/** A thing to index: used by `POST /things` and by `npm run things:load`. */
export const thingInput = z.strictObject({ name: thingName, geometry }).check(
  z.meta({
    examples: [
      {
        name: 'Washington Square Park',
        geometry: {
          type: 'Polygon',
          coordinates: [
            [
              [-73.9997, 40.7298],
              [-73.9963, 40.7322],
              [-73.9954, 40.7304],
              [-73.999, 40.7288],
              [-73.9997, 40.7298],
            ],
          ],
        },
      },
    ],
  }),
);
export type ThingInput = z.infer<typeof thingInput>;
