import * as z from 'zod/mini';
import { storedNumber, ulidOf, ulidParam } from '../shared/http/fields.js';
import { defineRoutes } from '../shared/http/route.js';
import { pageOf, pageQuery } from '../shared/pagination.js';
import { bookingStatus } from './contract.js';
import { booking } from './domain/bookings.js';

const byId = ulidParam('booking');

export const bookingRoutes = defineRoutes({
  create: {
    method: 'POST',
    path: '/bookings',
    summary:
      'Books seats on a showtime for the caller: reserves the seats atomically (409 when too few are left, the showtime has started, or the caller would hold more than 20 of its seats; 429 past 30 booking writes a minute; 504 when a service is silent, and then nothing stays held)',
    auth: 'user',
    body: z.strictObject({
      movieId: ulidOf('movie'),
      showtimeId: ulidOf('showtime'),
      seats: storedNumber({ integer: true, range: { min: 1, max: 20, message: 'must be between 1 and 20' } }),
    }),
    status: 201,
    response: booking,
    errors: [400, 404, 409, 413, 504],
  },
  list: {
    method: 'GET',
    path: '/bookings',
    summary:
      "Lists the caller's own bookings that hold seats or are giving them back (an admin's too), oldest first, a page at a time",
    auth: 'user',
    query: pageQuery,
    response: pageOf(booking),
    errors: [400],
  },
  listAll: {
    method: 'GET',
    path: '/bookings/all',
    summary:
      "Lists everyone's bookings in every state, a page at a time in no particular order; or only those in `status`, newest first (the last page may be empty)",
    auth: 'admin',
    query: z.extend(pageQuery, {
      status: z.optional(z.enum(bookingStatus.options, `must be one of ${bookingStatus.options.join(', ')}`)),
    }),
    response: pageOf(booking),
    errors: [400],
  },
  get: {
    method: 'GET',
    path: '/bookings/{id}',
    summary: 'One of the caller’s bookings (an admin: anyone’s)',
    auth: 'user',
    params: byId,
    response: booking,
    errors: [400, 404],
  },
  remove: {
    method: 'DELETE',
    path: '/bookings/{id}',
    summary:
      'Cancels one of the caller’s bookings (an admin: anyone’s) and gives its seats back: 204 once they are back, 202 (with the booking, status `cancelling`) when the movies service is slow and they come back later',
    auth: 'user',
    params: byId,
    status: 204,
    otherStatuses: [202],
    response: booking,
    errors: [400, 404, 409],
  },
});
