import { lambdaRpcServer } from '../shared/rpc/lambda.js';
import { tasksContract } from './contract.js';
import { taskErasure } from './domain/tasks.js';
import { dynamoTaskStore } from './dynamo-store.js';
import { tasksRpcEnv } from './env.js';

const tasks = taskErasure({ store: dynamoTaskStore(tasksRpcEnv().table) });

/** The tasks service's RPC methods: erasing a person's tasks, for the users service. */
export const handler = lambdaRpcServer(tasksContract, {
  eraseForUser: ({ userId }) => tasks.eraseForUser(userId),
});
