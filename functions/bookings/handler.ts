import { idempotencyStoreOfThisFunction } from '../shared/http/idempotency-dynamo.js';
import { httpHandler } from '../shared/http/middleware.js';
import { Reply } from '../shared/http/route.js';
import { bookingsFor } from './compose.js';
import { limitedWrites } from './domain/bookings.js';
import { BOOKING_WRITES, rateLimiter } from './domain/rate-limit.js';
import { rateLimitsEnv } from './env.js';
import { dynamoHitCounter } from './rate-limit-store.js';
import { bookingRoutes } from './routes.js';

const limiter = rateLimiter({
  counter: dynamoHitCounter(rateLimitsEnv().table),
  rule: BOOKING_WRITES,
  now: Date.now,
  kind: 'booking writes',
});

/** Booking writes for one request, within the caller's rate limit. */
const writesFor = (requestId: string) => limitedWrites(bookingsFor(requestId), limiter);

/** Bookings over HTTP: create (the saga's first steps), list, get and cancel. */
export const handler = httpHandler(
  bookingRoutes,
  {
    create: ({ body, context }) => writesFor(context.requestId).create({ ...body, userId: context.userId }),
    list: ({ query, context }) => bookingsFor(context.requestId).list(context, query.limit, query.cursor),
    listAll: ({ query, context }) =>
      bookingsFor(context.requestId).listAll(query.limit, query.cursor, query.status),
    get: ({ params, context }) => bookingsFor(context.requestId).get(params.id, context),
    remove: async ({ params, context }) => {
      const { booking, settled } = await writesFor(context.requestId).cancel(params.id, context);
      return settled ? new Reply(204) : new Reply(202, booking);
    },
  },
  { idempotency: idempotencyStoreOfThisFunction() },
);
