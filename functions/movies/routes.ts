import { z } from 'zod';
import { defineRoutes } from '../shared/http/route.js';
import { expected } from '../shared/http/validate.js';
import { pageQuery } from '../shared/pagination.js';

const byId = z.object({ id: z.string().regex(/^[0-9A-Z]{26}$/, 'is not a movie id') });
const details = {
  title: z
    .string({ error: expected('must be a string') })
    .trim()
    .min(1, 'must not be empty')
    .max(200, 'must be at most 200 characters'),
  director: z
    .string('must be a string')
    .trim()
    .min(1, 'must not be empty')
    .max(200, 'must be at most 200 characters')
    .optional(),
  rating: z
    .number({ error: expected('must be a number') })
    .min(0, 'must be between 0 and 10')
    .max(10, 'must be between 0 and 10'),
};
const showtime = z.object({ id: z.string(), startsAt: z.string(), seats: z.number(), available: z.number() });
const movie = z.object({
  id: z.string(),
  title: z.string(),
  director: z.string().optional(),
  rating: z.number(),
  showtimes: z.array(showtime),
});

export const movieRoutes = defineRoutes({
  create: {
    method: 'POST',
    path: '/movies',
    summary: 'Creates a movie with its showtimes (each a start time and a seat count)',
    auth: 'admin',
    body: z.strictObject({
      ...details,
      showtimes: z
        .array(
          z.strictObject({
            startsAt: z.iso.datetime({
              error: expected('must be an ISO-8601 date-time, e.g. 2026-12-24T20:00:00Z'),
            }),
            seats: z
              .number({ error: expected('must be a number') })
              .int('must be a whole number')
              .min(1, 'must be between 1 and 10000')
              .max(10_000, 'must be between 1 and 10000'),
          }),
          { error: expected('must be an array') },
        )
        .max(100, 'at most 100 showtimes'),
    }),
    status: 201,
    response: movie,
    errors: [400, 413],
  },
  list: {
    method: 'GET',
    path: '/movies',
    summary: 'Lists movies, a page at a time',
    auth: 'none',
    query: pageQuery,
    response: z.object({ items: z.array(movie), cursor: z.string().optional() }),
    errors: [400],
  },
  get: {
    method: 'GET',
    path: '/movies/{id}',
    summary: 'One movie with its showtimes and available seats',
    auth: 'none',
    params: byId,
    response: movie,
    errors: [400, 404],
  },
  replace: {
    method: 'PUT',
    path: '/movies/{id}',
    summary: "Replaces a movie's title, director and rating (showtimes stay)",
    auth: 'admin',
    params: byId,
    body: z.strictObject(details),
    response: movie,
    errors: [400, 404, 413],
  },
  remove: {
    method: 'DELETE',
    path: '/movies/{id}',
    summary: 'Deletes a movie',
    auth: 'admin',
    params: byId,
    status: 204,
    errors: [400, 404],
  },
});
