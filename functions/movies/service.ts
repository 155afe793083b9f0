import { defineService } from '../shared/service.js';
import { moviesContract } from './contract.js';
import { HOLDS_TABLE } from './holds-table.js';
import { MOVIES_TABLE } from './movies-table.js';
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
    movies: {
      partitionKey: 'id',
      // Movies by the start of their title, in any case (functions/movies/dynamo-store.ts).
      globalIndexes: { [MOVIES_TABLE.byTitleIndex]: MOVIES_TABLE.byTitle },
    },
    holds: HOLDS_TABLE,
  },
  functions: {
    movies: {
      entry: 'movies/handler.ts',
      description: 'Movies and showtimes',
      routes: 'all',
      // Scan: the list of every movie, a page at a time; Query: those whose title starts with a text.
      tables: { movies: ['GetItem', 'PutItem', 'UpdateItem', 'DeleteItem', 'Scan', 'Query'] },
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
