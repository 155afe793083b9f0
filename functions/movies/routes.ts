import * as z from 'zod/mini';
import { nameText, storedNumber, trimmedText, ulidOf, ulidParam } from '../shared/http/fields.js';
import { defineRoutes } from '../shared/http/route.js';
import { expected } from '../shared/http/validate.js';
import { pageOf, pageQuery } from '../shared/pagination.js';
import { movie } from './domain/movies.js';

const byId = ulidParam('movie');
const showtimeOfMovie = z.object({ id: ulidOf('movie'), showtimeId: ulidOf('showtime') });

/** New showtimes: each a start time and a seat count. */
const newShowtimes = z
  .array(
    z.strictObject({
      startsAt: z.iso.datetime({
        error: expected('must be an ISO-8601 date-time, e.g. 2026-12-24T20:00:00Z'),
      }),
      seats: storedNumber({
        integer: true,
        range: { min: 1, max: 10_000, message: 'must be between 1 and 10000' },
      }),
    }),
    { error: expected('must be an array') },
  )
  .check(z.maxLength(100, 'at most 100 showtimes'));
const details = {
  title: nameText(200),
  director: z.optional(nameText(200)),
  rating: storedNumber({ range: { min: 0, max: 10, message: 'must be between 0 and 10' } }),
};

export const movieRoutes = defineRoutes({
  create: {
    method: 'POST',
    path: '/movies',
    summary: 'Creates a movie with its showtimes (each a start time and a seat count)',
    auth: 'admin',
    body: z.strictObject({
      ...details,
      showtimes: newShowtimes,
    }),
    status: 201,
    response: movie,
    errors: [400, 413],
  },
  list: {
    method: 'GET',
    path: '/movies',
    summary:
      'Lists movies, a page at a time in no particular order; with `title`, those whose title starts with it, in any case, in title order',
    auth: 'none',
    query: z.extend(pageQuery, { title: z.optional(trimmedText(200)) }),
    response: pageOf(movie),
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
  addShowtimes: {
    method: 'POST',
    path: '/movies/{id}/showtimes',
    summary: 'Adds showtimes to a movie (at most 100 in all), answering the movie',
    auth: 'admin',
    params: byId,
    body: z.strictObject({
      showtimes: newShowtimes.check(z.minLength(1, 'must hold at least one showtime')),
    }),
    response: movie,
    errors: [400, 404, 413],
  },
  removeShowtime: {
    method: 'DELETE',
    path: '/movies/{id}/showtimes/{showtimeId}',
    summary:
      'Removes a showtime none of whose seats is booked, answering the movie; 409 while a booking holds seats of it',
    auth: 'admin',
    params: showtimeOfMovie,
    response: movie,
    errors: [400, 404, 409],
  },
  remove: {
    method: 'DELETE',
    path: '/movies/{id}',
    summary:
      'Deletes a movie none of whose seats are booked; 409 while a booking holds seats (cancel the bookings first)',
    auth: 'admin',
    params: byId,
    status: 204,
    errors: [400, 404, 409],
  },
});
