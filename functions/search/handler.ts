import { ulid } from 'ulid';
import { idempotencyStoreOfThisFunction } from '../shared/http/idempotency-dynamo.js';
import { httpHandler } from '../shared/http/middleware.js';
import { searchService } from './domain/search.js';
import { dynamoThingList, dynamoThingStore } from './dynamo-store.js';
import { searchEnv } from './env.js';
import { searchRoutes } from './routes.js';

const { tables } = searchEnv();

const search = searchService({
  store: dynamoThingStore(tables),
  newId: ulid,
});

const things = dynamoThingList(tables.things);

export const handler = httpHandler(
  searchRoutes,
  {
    add: ({ body }) => search.add(body),
    list: ({ query }) => things.list(query.limit, query.cursor),
    remove: ({ params }) => search.remove(params.id),
    geometry: ({ params }) => search.geometry(params.id),
    search: ({ query }) =>
      search.search({
        lat: query.lat,
        lng: query.lng,
        query: query.query,
        page: query.page,
        perPage: query.per_page,
      }),
    monitor: () => search.monitor(),
    health: () => search.health(),
  },
  { idempotency: idempotencyStoreOfThisFunction() },
);
