import { readEnv } from '../shared/env.js';
import { ENV } from '../shared/env-names.js';
import { readTables, tableEnv } from '../shared/service.js';
import { tasksService } from './service.js';

/** Read at cold start by the tasks RPC function: its table. */
export const tasksRpcEnv = () => readEnv({ table: tableEnv(tasksService.name, 'tasks') });

/** Read at cold start by the tasks function: its table, and the log feed it publishes task events to. */
export const tasksEnv = () => ({
  ...readEnv([ENV.logFeedTopicArn, 'POWERTOOLS_SERVICE_NAME']),
  tables: readTables(tasksService),
});
