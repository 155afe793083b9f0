import { monotonicFactory } from 'ulid';
import { idempotencyStoreOfThisFunction } from '../shared/http/idempotency-dynamo.js';
import { httpHandler } from '../shared/http/middleware.js';
import { Reply } from '../shared/http/route.js';
import { snsFeedPublisher } from '../shared/log-feed/sns-publisher.js';
import { taskService } from './domain/tasks.js';
import { dynamoTaskStore } from './dynamo-store.js';
import { tasksEnv } from './env.js';
import { taskRoutes } from './routes.js';

const env = tasksEnv();
const store = dynamoTaskStore(env.tables.tasks);
const newId = monotonicFactory();

/** The service of one request: its log-feed events carry the request id. */
const tasksFor = (requestId: string) =>
  taskService({
    store,
    feed: snsFeedPublisher(env.LOG_FEED_TOPIC_ARN, env.POWERTOOLS_SERVICE_NAME, requestId),
    newId: () => newId(),
    now: () => new Date(),
  });

export const handler = httpHandler(
  taskRoutes,
  {
    health: ({ context }) => tasksFor(context.requestId).health(),
    list: ({ query, context }) => tasksFor(context.requestId).list(context.userId, query.limit, query.cursor),
    create: ({ body, context }) => tasksFor(context.requestId).create(context.userId, body.name),
    get: ({ params, context }) => tasksFor(context.requestId).get(context.userId, params.id),
    update: ({ params, body, context }) =>
      tasksFor(context.requestId).update(context.userId, params.id, body),
    upsert: async ({ params, body, context }) => {
      const { task, created } = await tasksFor(context.requestId).upsert(
        context.userId,
        params.id,
        body.name,
        body.done,
      );
      return new Reply(created ? 201 : 200, task);
    },
    remove: ({ params, context }) => tasksFor(context.requestId).remove(context.userId, params.id),
  },
  { idempotency: idempotencyStoreOfThisFunction() },
);
