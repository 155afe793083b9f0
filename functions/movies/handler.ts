import { ulid } from 'ulid';
import { httpHandler } from '../shared/http/middleware.js';
import { movieService } from './domain/movies.js';
import { dynamoMovieStore } from './dynamo-store.js';
import { moviesEnv } from './env.js';
import { movieRoutes } from './routes.js';

const movies = movieService({ store: dynamoMovieStore(moviesEnv().table), newId: ulid });

/** The movies service over HTTP: movies and their showtimes. */
export const handler = httpHandler(movieRoutes, {
  create: ({ body }) => movies.create(body),
  list: ({ query }) => movies.list(query.limit, query.cursor),
  get: ({ params }) => movies.get(params.id),
  replace: ({ params, body }) => movies.replace(params.id, body),
  remove: ({ params }) => movies.remove(params.id),
});
