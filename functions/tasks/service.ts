import { defineService } from '../shared/service.js';
import { taskRoutes } from './routes.js';
import { TASKS_TABLE } from './table.js';

/** Tasks: each signed-in person's own to-do items, in the service's own DynamoDB table. */
export const tasksService = defineService({
  name: 'tasks',
  routes: taskRoutes,
  tables: {
    tasks: {
      partitionKey: TASKS_TABLE.partitionKey,
      sortKey: TASKS_TABLE.sortKey,
      localIndexes: { [TASKS_TABLE.newestFirstIndex]: { sortKey: TASKS_TABLE.newestFirstSortKey } },
    },
  },
  functions: {
    tasks: {
      entry: 'tasks/handler.ts',
      description: 'Per-user tasks: list, add, get, update, upsert, delete',
      routes: 'all',
      tables: { tasks: ['GetItem', 'PutItem', 'UpdateItem', 'DeleteItem', 'Query'] },
      logFeed: 'publish',
      listCursors: true,
    },
  },
});
