import { ulid } from 'ulid';
import { z } from 'zod';
import { readEnv } from '../shared/env.js';
import { ENV } from '../shared/env-names.js';
import { httpHandler } from '../shared/http/middleware.js';
import { httpAndRpcHandler } from '../shared/rpc/lambda.js';
import { rpcMethod, rpcServer } from '../shared/rpc/server.js';
import { sqsTransport } from '../shared/rpc/sqs-transport.js';
import { movieService } from './domain/movies.js';
import { dynamoMovieStore } from './dynamo-store.js';
import { movieRoutes } from './routes.js';

const env = readEnv([ENV.moviesTable]);
const movies = movieService({ store: dynamoMovieStore(env.MOVIES_TABLE), newId: ulid });

const http = httpHandler(movieRoutes, {
  create: ({ body }) => movies.create(body),
  list: ({ query }) => movies.list(query.limit, query.cursor),
  get: ({ params }) => movies.get(params.id),
  replace: ({ params, body }) => movies.replace(params.id, body),
  remove: ({ params }) => movies.remove(params.id),
});

const seats = z.object({ movieId: z.string(), showtimeId: z.string(), seats: z.number().int().min(1) });
const server = rpcServer(
  'movies',
  {
    reserveSeats: rpcMethod({
      input: seats,
      handle: (p) => movies.reserve(p.movieId, p.showtimeId, p.seats),
    }),
    releaseSeats: rpcMethod({
      input: seats,
      handle: (p) => movies.release(p.movieId, p.showtimeId, p.seats),
    }),
  },
  { transport: sqsTransport },
);

/** The movies service: its HTTP routes, and seat reservation for the bookings service over RPC. */
export const handler = httpAndRpcHandler(http, server);
