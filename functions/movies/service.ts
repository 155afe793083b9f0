import { defineService } from '../shared/service.js';
import { moviesContract } from './contract.js';
import { HOLDS_TABLE } from './holds-table.js';
import { movieRoutes } from './routes.js';

/**
 * Movies and showtimes; seats are held and released over RPC, idempotently
 * per booking, each booking's hold an item of the holds table written in the
 * same transaction as the movie's seat count.
 */
export const moviesService = defineService({
  name: 'movies',
  routes: movieRoutes,
  tables: {
    movies: { partitionKey: 'id' },
    holds: HOLDS_TABLE,
  },
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
      // TransactWriteItems has no IAM action of its own: each write in it needs its item action.
      tables: { movies: ['GetItem', 'UpdateItem'], holds: ['GetItem', 'PutItem', 'UpdateItem'] },
    },
  },
  rpc: moviesContract,
});
