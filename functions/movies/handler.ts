import { ulid } from 'ulid';
import { httpHandler } from '../shared/http/middleware.js';
import { httpAndRpcHandler, lambdaRpcServer } from '../shared/rpc/lambda.js';
import { readTables } from '../shared/service.js';
import { moviesContract } from './contract.js';
import { movieService } from './domain/movies.js';
import { dynamoMovieStore } from './dynamo-store.js';
import { movieRoutes } from './routes.js';
import { moviesService } from './service.js';

const tables = readTables(moviesService);
const movies = movieService({ store: dynamoMovieStore(tables.movies), newId: ulid });

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
