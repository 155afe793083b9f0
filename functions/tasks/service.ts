import { defineService } from '../shared/service.js';
import { LONGEST_TASK_REQUEST_SECONDS, tasksContract } from './contract.js';
import { taskRoutes } from './routes.js';
import { TASKS_TABLE } from './table.js';

/**
 * Tasks: each signed-in person's own to-do items, in the service's own
 * DynamoDB table; over RPC, the erasure of a person's tasks.
 */
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
      timeoutSeconds: LONGEST_TASK_REQUEST_SECONDS,
      tables: { tasks: ['GetItem', 'PutItem', 'UpdateItem', 'DeleteItem', 'Query'] },
      logFeed: 'publish',
      listCursors: true,
    },
    'tasks-rpc': {
      entry: 'tasks/rpc-handler.ts',
      description: "Tasks' RPC methods: erasing a person's tasks, for the users service",
      trigger: { rpc: true },
      timeoutSeconds: 30,
      tables: { tasks: ['Query', 'BatchWriteItem'] },
    },
  },
  rpc: tasksContract,
});
