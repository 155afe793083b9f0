import { ulid } from 'ulid';
import { readEnv } from '../shared/env.js';
import { ENV } from '../shared/env-names.js';
import { httpHandler } from '../shared/http/middleware.js';
import { httpAndRpcHandler, lambdaRpcServer } from '../shared/rpc/lambda.js';
import { moviesContract } from './contract.js';
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

const server = lambdaRpcServer(moviesContract, {
  reserveSeats: (hold) => movies.reserve(hold),
  releaseSeats: (hold) => movies.release(hold),
});

/** The movies service: its HTTP routes, and idempotent seat holds for the bookings service over RPC. */
export const handler = httpAndRpcHandler(http, server);
