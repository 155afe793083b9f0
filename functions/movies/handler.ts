import { ulid } from 'ulid';
import { idempotencyStoreOfThisFunction } from '../shared/http/idempotency-dynamo.js';
import { httpHandler } from '../shared/http/middleware.js';
import { movieService } from './domain/movies.js';
import { dynamoMovieStore } from './dynamo-store.js';
import { moviesEnv } from './env.js';
import { movieRoutes } from './routes.js';

const movies = movieService({ store: dynamoMovieStore(moviesEnv().table), newId: ulid });

/** The movies service over HTTP: movies and their showtimes. */
export const handler = httpHandler(
  movieRoutes,
  {
    create: ({ body }) => movies.create(body),
    list: ({ query }) => movies.list(query.limit, query.cursor, query.title),
    get: ({ params }) => movies.get(params.id),
    replace: ({ params, body }) => movies.replace(params.id, body),
    addShowtimes: ({ params, body }) => movies.addShowtimes(params.id, body.showtimes),
    removeShowtime: ({ params }) => movies.removeShowtime(params.id, params.showtimeId),
    remove: ({ params }) => movies.remove(params.id),
  },
  { idempotency: idempotencyStoreOfThisFunction() },
);
