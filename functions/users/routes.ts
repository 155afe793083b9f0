import { z } from 'zod';
import { emailAddress, trimmedText } from '../shared/http/fields.js';
import { defineRoutes } from '../shared/http/route.js';
import { pageOf, pageQuery } from '../shared/pagination.js';
import { user, userBookings } from './domain/users.js';

export const USER_ID = /^[0-9A-Z]{26}$/;
const byId = z.object({ id: z.string().regex(USER_ID, 'is not a user id') });
const fields = z.strictObject({
  name: trimmedText(200),
  email: emailAddress(),
});

export const userRoutes = defineRoutes({
  create: {
    method: 'POST',
    path: '/users',
    summary: 'Creates a user',
    auth: 'none',
    body: fields,
    status: 201,
    response: user,
    errors: [400, 413],
  },
  list: {
    method: 'GET',
    path: '/users',
    summary: 'Lists users, a page at a time',
    auth: 'none',
    query: pageQuery,
    response: pageOf(user),
    errors: [400],
  },
  get: {
    method: 'GET',
    path: '/users/{id}',
    summary: 'One user',
    auth: 'none',
    params: byId,
    response: user,
    errors: [400, 404],
  },
  replace: {
    method: 'PUT',
    path: '/users/{id}',
    summary: "Replaces a user's name and email",
    auth: 'none',
    params: byId,
    body: fields,
    response: user,
    errors: [400, 404, 413],
  },
  remove: {
    method: 'DELETE',
    path: '/users/{id}',
    summary: 'Deletes a user without bookings (409 otherwise)',
    auth: 'none',
    params: byId,
    status: 204,
    errors: [400, 404, 409],
  },
  bookings: {
    method: 'GET',
    path: '/users/{id}/bookings',
    summary: "A user's bookings, from the bookings service over RPC",
    auth: 'none',
    params: byId,
    response: userBookings,
    errors: [400, 404, 504],
  },
});
