import * as z from 'zod/mini';
import { bookingSchema } from '../bookings/contract.js';
import { displayName } from '../shared/http/fields.js';
import { defineRoutes } from '../shared/http/route.js';
import { pageOf, pageQuery } from '../shared/pagination.js';
import { USER_ID, user } from './contract.js';

const byId = z.object({ id: z.string().check(z.regex(USER_ID, 'is not a user id')) });

/** A deletion under way: the profile stays, unreadable, until its person's data is erased. */
const deletion = z.object({ id: z.string(), status: z.literal('deleting') });

/** A user's bookings, as the bookings service tells them. */
const userBookings = z.object({ bookings: z.array(bookingSchema) });

export const userRoutes = defineRoutes({
  me: {
    method: 'GET',
    path: '/users/me',
    summary: "The caller's own profile",
    auth: 'user',
    response: user,
    errors: [404],
  },
  rename: {
    method: 'PUT',
    path: '/users/me',
    summary: "Replaces the caller's display name",
    auth: 'user',
    body: z.strictObject({ name: displayName }),
    response: user,
    errors: [400, 404, 413],
  },
  leave: {
    method: 'DELETE',
    path: '/users/me',
    summary:
      'Deletes the caller: their tokens stop working within 15 s, and their bookings (cancelled, seats back), tasks and profile are erased about 30 s later; 202 while that completes',
    auth: 'user',
    status: 202,
    response: deletion,
    errors: [404],
  },
  list: {
    method: 'GET',
    path: '/users',
    summary: 'Lists every profile, a page at a time',
    auth: 'admin',
    query: pageQuery,
    response: pageOf(user),
    errors: [400],
  },
  get: {
    method: 'GET',
    path: '/users/{id}',
    summary: "Anyone's profile",
    auth: 'admin',
    params: byId,
    response: user,
    errors: [400, 404],
  },
  remove: {
    method: 'DELETE',
    path: '/users/{id}',
    summary:
      'Deletes anyone: their account now, their bookings (cancelled, seats back), tasks and profile about 30 s later; 202 while that completes',
    auth: 'admin',
    params: byId,
    status: 202,
    response: deletion,
    errors: [400, 404],
  },
  bookings: {
    method: 'GET',
    path: '/users/{id}/bookings',
    summary: "Anyone's bookings, from the bookings service over RPC",
    auth: 'admin',
    params: byId,
    response: userBookings,
    errors: [400, 404, 504],
  },
});
