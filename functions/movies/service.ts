import { defineService } from '../shared/service.js';
import { moviesContract } from './contract.js';
import { movieRoutes } from './routes.js';

/** Movies and showtimes; seats are held and released over RPC, idempotently per booking. */
export const moviesService = defineService({
  name: 'movies',
  routes: movieRoutes,
  tables: { movies: { partitionKey: 'id' } },
  functions: {
    movies: {
      entry: 'movies/handler.ts',
      description: 'Movies and showtimes',
      routes: 'all',
      tables: { movies: ['GetItem', 'PutItem', 'UpdateItem', 'DeleteItem', 'Scan'] },
      listCursors: true,
    },
    'movies-rpc': {
      entry: 'movies/rpc-handler.ts',
      description: 'Reserves and releases seats atomically, idempotently per booking (RPC)',
      trigger: { rpc: true },
      tables: { movies: ['GetItem', 'UpdateItem'] },
    },
  },
  rpc: moviesContract,
});
