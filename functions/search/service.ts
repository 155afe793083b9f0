import { defineService } from '../shared/service.js';
import { searchRoutes } from './routes.js';
import { SEARCH_TABLES } from './table.js';

/**
 * Geo search: things with polygons, found by a point inside them (through a
 * geohash cell index) and/or by name, and a counter of things.
 */
export const searchService = defineService({
  name: 'search',
  routes: searchRoutes,
  tables: {
    things: { partitionKey: SEARCH_TABLES.things.partitionKey },
    cells: { partitionKey: SEARCH_TABLES.cells.partitionKey, sortKey: SEARCH_TABLES.cells.sortKey },
  },
  functions: {
    search: {
      entry: 'search/handler.ts',
      description: 'Geo-indexed point-in-polygon and name search over things',
      memoryMb: 512,
      timeoutSeconds: 25,
      routes: 'all',
      tables: {
        // Scan only for name-only searches; location searches Query the cells and BatchGet the things.
        things: ['GetItem', 'BatchGetItem', 'PutItem', 'DeleteItem', 'Scan'],
        cells: ['GetItem', 'Query', 'PutItem', 'DeleteItem', 'UpdateItem'],
      },
    },
  },
});
