/**
 * The store behaviour suites the in-memory fakes pass (test/unit/stores), run
 * on the DynamoDB adapters against the deployed stack's tables: what the
 * unit tests rely on is what the functions get. Each test writes under ids of
 * its own and deletes what it wrote, as the tables are shared with the other
 * e2e files.
 */
import { randomBytes } from 'node:crypto';
import { DeleteCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, vi } from 'vitest';
import type { BookingStore } from '../../functions/bookings/domain/bookings.js';
import { bookingsService } from '../../functions/bookings/service.js';
import type { MovieStore } from '../../functions/movies/domain/movies.js';
import { moviesService } from '../../functions/movies/service.js';
import type { TaskStore } from '../../functions/tasks/domain/tasks.js';
import { tasksService } from '../../functions/tasks/service.js';
import { outputName } from '../../lib/stack-outputs.js';
import { describeBookingStore } from '../support/store-suites/booking-store.js';
import { describeIdempotencyStore } from '../support/store-suites/idempotency-store.js';
import { describeMovieStore } from '../support/store-suites/movie-store.js';
import type { StoreUnderTest } from '../support/store-suites/store-under-test.js';
import { describeTaskStore } from '../support/store-suites/task-store.js';
import { clientConfig, dynamo, outputs, resources } from './support.js';

// The adapters' DynamoDB client reads where and who it is from the environment, as in the functions.
vi.stubEnv('AWS_ENDPOINT_URL', clientConfig.endpoint);
vi.stubEnv('AWS_REGION', clientConfig.region);
vi.stubEnv('AWS_ACCESS_KEY_ID', clientConfig.credentials.accessKeyId);
vi.stubEnv('AWS_SECRET_ACCESS_KEY', clientConfig.credentials.secretAccessKey);
// The adapters seal list cursors with the secret a listing function is given; these tests bring their own.
vi.stubEnv('LIST_CURSOR_SECRET', randomBytes(32).toString('base64url'));
const { dynamoMovieStore } = await import('../../functions/movies/dynamo-store.js');
const { dynamoSeatStore } = await import('../../functions/movies/seat-store.js');
const { dynamoBookingStore } = await import('../../functions/bookings/dynamo-store.js');
const { dynamoTaskStore } = await import('../../functions/tasks/dynamo-store.js');
const { dynamoIdempotencyStore } = await import('../../functions/shared/http/idempotency-dynamo.js');

afterAll(() => {
  vi.unstubAllEnvs();
});

/**
 * The adapter with its inserts noted, and a cleanup deleting every item
 * inserted (under `keyOf`'s key), whatever became of it.
 */
function deletingInserts<S extends { insert(item: T): Promise<unknown> }, T>(
  adapter: S,
  tableName: string,
  keyOf: (item: T) => Record<string, string>,
): StoreUnderTest<S> {
  const inserted: Array<Record<string, string>> = [];
  return {
    store: {
      ...adapter,
      async insert(item: T) {
        inserted.push(keyOf(item));
        return adapter.insert(item);
      },
    },
    async cleanup() {
      await Promise.all(
        inserted.splice(0).map((Key) => dynamo.send(new DeleteCommand({ TableName: tableName, Key }))),
      );
    },
  };
}

describeMovieStore('DynamoDB', async () => {
  const tables = {
    movies: resources.table(moviesService, 'movies'),
    holds: resources.table(moviesService, 'holds'),
  };
  // The holds a test leaves are under booking and person ids of its own; settled ones expire.
  return deletingInserts<MovieStore, Parameters<MovieStore['insert']>[0]>(
    { ...dynamoMovieStore(tables.movies), ...dynamoSeatStore(tables) },
    tables.movies,
    (movie) => ({ id: movie.id }),
  );
});

describeBookingStore('DynamoDB', async () => {
  const tables = {
    bookings: resources.table(bookingsService, 'bookings'),
    closedAccounts: resources.table(bookingsService, 'closed-accounts'),
  };
  const underTest = deletingInserts<BookingStore, Parameters<BookingStore['insert']>[0]>(
    dynamoBookingStore(tables.bookings, tables.closedAccounts),
    tables.bookings,
    (booking) => ({ id: booking.id }),
  );
  // The accounts a test closes are deleted with its bookings.
  const closed: string[] = [];
  return {
    store: {
      ...underTest.store,
      async closeForUser(userId, until) {
        closed.push(userId);
        await underTest.store.closeForUser(userId, until);
      },
    },
    async cleanup() {
      await underTest.cleanup?.();
      await Promise.all(
        closed
          .splice(0)
          .map((userId) =>
            dynamo.send(new DeleteCommand({ TableName: tables.closedAccounts, Key: { userId } })),
          ),
      );
    },
  };
});

describeTaskStore('DynamoDB', async () =>
  deletingInserts<TaskStore, Parameters<TaskStore['insert']>[0]>(
    dynamoTaskStore(resources.table(tasksService, 'tasks')),
    resources.table(tasksService, 'tasks'),
    (task) => ({ userId: task.userId, id: task.id }),
  ),
);

describeIdempotencyStore('DynamoDB', async () => {
  // Each test's keys are its own; the table's TTL removes them a day later.
  const tableName = outputs[outputName.table('tasks', 'idempotency')] as string;
  return { store: dynamoIdempotencyStore(tableName) };
});
