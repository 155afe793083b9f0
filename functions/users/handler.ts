import { idempotencyStoreOfThisFunction } from '../shared/http/idempotency-dynamo.js';
import { httpHandler } from '../shared/http/middleware.js';
import { bookingsOver, deletionFor, store } from './compose.js';
import { userService } from './domain/users.js';
import { userRoutes } from './routes.js';

const usersFor = (requestId: string) => {
  const bookings = bookingsOver(requestId);
  return userService({
    store,
    bookings: { listForUser: (userId) => bookings.listForUser({ userId }) },
    deletion: deletionFor(requestId),
    now: () => new Date(),
  });
};

/** The users service over HTTP: profiles, deleting people, and each person's bookings through the bookings service. */
export const handler = httpHandler(
  userRoutes,
  {
    me: ({ context }) => usersFor(context.requestId).get(context.userId),
    rename: ({ body, context }) => usersFor(context.requestId).rename(context.userId, body.name),
    leave: ({ context }) => usersFor(context.requestId).remove(context.userId),
    list: ({ query, context }) => usersFor(context.requestId).list(query.limit, query.cursor),
    get: ({ params, context }) => usersFor(context.requestId).get(params.id),
    remove: ({ params, context }) => usersFor(context.requestId).remove(params.id),
    bookings: ({ params, context }) => usersFor(context.requestId).bookingsOf(params.id),
  },
  { idempotency: idempotencyStoreOfThisFunction() },
);
