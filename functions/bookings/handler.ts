import { httpHandler } from '../shared/http/middleware.js';
import { Reply } from '../shared/http/route.js';
import { bookingsFor } from './compose.js';
import { bookingRoutes } from './routes.js';

/** Bookings over HTTP: create (the saga's first steps), list, get and cancel. */
export const handler = httpHandler(bookingRoutes, {
  create: ({ body, context }) => bookingsFor(context.requestId).create({ ...body, userId: context.userId }),
  list: ({ query, context }) => bookingsFor(context.requestId).list(context, query.limit, query.cursor),
  get: ({ params, context }) => bookingsFor(context.requestId).get(params.id, context),
  remove: async ({ params, context }) => {
    const { booking, settled } = await bookingsFor(context.requestId).cancel(params.id, context);
    return settled ? new Reply(204) : new Reply(202, booking);
  },
});
