import { defineService } from '../shared/service.js';
import { searchRoutes } from './routes.js';
import { SEARCH_TABLES } from './table.js';

/**
 * Geo search: things with polygons, found by a point inside them (through a
 * geohash cell index) and/or by a fragment of their name (through an index of
 * name windows), and a counter of things.
 */
export const searchService = defineService({
  name: 'search',
  routes: searchRoutes,
  tables: {
    things: { partitionKey: SEARCH_TABLES.things.partitionKey },
    cells: { partitionKey: SEARCH_TABLES.cells.partitionKey, sortKey: SEARCH_TABLES.cells.sortKey },
    names: { partitionKey: SEARCH_TABLES.names.partitionKey, sortKey: SEARCH_TABLES.names.sortKey },
  },
  functions: {
    search: {
      entry: 'search/handler.ts',
      description: 'Geo-indexed point-in-polygon and name search over things',
      memoryMb: 512,
      timeoutSeconds: 25,
      routes: 'all',
      listCursors: true,
      tables: {
        // Location searches Query the cells and BatchGet the things, name searches Query the names
        // (BatchGet for anchors); long names' overflow items are batch-written. The one Scan is an
        // admin's list of things, a page at a time.
        things: ['GetItem', 'BatchGetItem', 'PutItem', 'DeleteItem', 'Scan'],
        cells: ['GetItem', 'Query', 'PutItem', 'DeleteItem', 'UpdateItem'],
        names: ['Query', 'BatchGetItem', 'PutItem', 'DeleteItem', 'BatchWriteItem'],
      },
    },
  },
});
