import { bookingsContract } from '../bookings/contract.js';
import { httpHandler } from '../shared/http/middleware.js';
import { cognitoDirectory } from '../shared/identity/cognito-directory.js';
import { lambdaRpcClients } from '../shared/rpc/lambda.js';
import { userService } from './domain/users.js';
import { dynamoUserStore } from './dynamo-store.js';
import { usersEnv } from './env.js';
import { userRoutes } from './routes.js';

const env = usersEnv();
const clients = lambdaRpcClients('users', { bookings: bookingsContract });
const store = dynamoUserStore(env.table);
const directory = cognitoDirectory(env.userPoolId);

const usersFor = (requestId: string) => {
  const { bookings } = clients(requestId);
  return userService({
    store,
    bookings: {
      listForUser: (userId) => bookings.listForUser({ userId }),
      countForUser: (userId) => bookings.countForUser({ userId }),
    },
    accounts: { remove: directory.deleteUser },
    now: () => new Date(),
  });
};

/** The users service over HTTP: profiles, and each person's bookings through the bookings service. */
export const handler = httpHandler(userRoutes, {
  me: ({ context }) => usersFor(context.requestId).get(context.userId),
  rename: ({ body, context }) => usersFor(context.requestId).rename(context.userId, body.name),
  leave: ({ context }) => usersFor(context.requestId).remove(context.userId),
  list: ({ query, context }) => usersFor(context.requestId).list(query.limit, query.cursor),
  get: ({ params, context }) => usersFor(context.requestId).get(params.id),
  remove: ({ params, context }) => usersFor(context.requestId).remove(params.id),
  bookings: ({ params, context }) => usersFor(context.requestId).bookingsOf(params.id),
});
