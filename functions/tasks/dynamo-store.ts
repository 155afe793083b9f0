import {
  BatchWriteCommand,
  GetCommand,
  PutCommand,
  paginateQuery,
  QueryCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { cursorPage, deleteExisting, documents, unlessConditionFails } from '../shared/dynamo.js';
import type { Task, TaskChanges, TaskPage, TaskStore } from './domain/tasks.js';
import { TASKS_TABLE } from './table.js';

/** Table layout: partition `userId`, sort `id`; LSI sort `createdKey` = `<createdOn>#<id>`. */
interface TaskItem extends Task {
  createdKey: string;
}

const toItem = (task: Task): TaskItem => ({ ...task, createdKey: `${task.createdOn}#${task.id}` });
const toTask = ({ id, userId, name, createdOn, done }: Record<string, unknown>): Task => ({
  id: String(id),
  userId: String(userId),
  name: String(name),
  createdOn: String(createdOn),
  done: done === true,
});

/** BatchWriteItem takes at most 25 requests. */
const BATCH_WRITE_LIMIT = 25;

/** Deletes up to 25 items by key, sending again what DynamoDB left unprocessed (throttled). */
async function deleteAll(tableName: string, keys: Record<string, unknown>[]): Promise<void> {
  let requests = keys.map((Key) => ({ DeleteRequest: { Key } }));
  for (let attempt = 0; requests.length > 0; attempt++) {
    if (attempt > 0) await new Promise((resolve) => setTimeout(resolve, 50 * 2 ** Math.min(attempt, 6)));
    const { UnprocessedItems } = await documents.send(
      new BatchWriteCommand({ RequestItems: { [tableName]: requests } }),
    );
    requests = (UnprocessedItems?.[tableName] ?? []) as typeof requests;
  }
}

/** The tasks table as a {@link TaskStore}. */
export function dynamoTaskStore(tableName: string): TaskStore {
  return {
    async insert(task) {
      await documents.send(
        new PutCommand({
          TableName: tableName,
          Item: toItem(task),
          ConditionExpression: 'attribute_not_exists(id)',
        }),
      );
    },

    async get(userId, id) {
      const { Item } = await documents.send(new GetCommand({ TableName: tableName, Key: { userId, id } }));
      return Item ? toTask(Item) : undefined;
    },

    async list(userId, limit, cursor): Promise<TaskPage> {
      // A cursor is only valid for the user it was issued to, its key in that user's partition.
      const scope = {
        list: `${tableName}/${TASKS_TABLE.newestFirstIndex}`,
        caller: userId,
        ownerKey: TASKS_TABLE.partitionKey,
      };
      const page = await cursorPage(
        scope,
        [TASKS_TABLE.partitionKey, TASKS_TABLE.sortKey, TASKS_TABLE.newestFirstSortKey],
        cursor,
        (start) =>
          documents.send(
            new QueryCommand({
              TableName: tableName,
              IndexName: TASKS_TABLE.newestFirstIndex,
              KeyConditionExpression: 'userId = :userId',
              ExpressionAttributeValues: { ':userId': userId },
              ScanIndexForward: false,
              Limit: limit,
              ExclusiveStartKey: start,
            }),
          ),
        toTask,
      );
      return page.cursor ? { tasks: page.items, cursor: page.cursor } : { tasks: page.items };
    },

    async update(userId, id, changes: TaskChanges) {
      const names: Record<string, string> = {};
      const values: Record<string, unknown> = {};
      const sets: string[] = [];
      for (const [field, value] of Object.entries(changes)) {
        if (value === undefined) continue;
        names[`#${field}`] = field;
        values[`:${field}`] = value;
        sets.push(`#${field} = :${field}`);
      }
      const result = await unlessConditionFails(() =>
        documents.send(
          new UpdateCommand({
            TableName: tableName,
            Key: { userId, id },
            UpdateExpression: `SET ${sets.join(', ')}`,
            ConditionExpression: 'attribute_exists(id)',
            ExpressionAttributeNames: names,
            ExpressionAttributeValues: values,
            ReturnValues: 'ALL_NEW',
          }),
        ),
      );
      return result?.Attributes ? toTask(result.Attributes) : undefined;
    },

    async upsert(task) {
      const item = toItem(task);
      const { Attributes } = await documents.send(
        new UpdateCommand({
          TableName: tableName,
          Key: { userId: task.userId, id: task.id },
          UpdateExpression:
            'SET #name = :name, done = :done, createdOn = if_not_exists(createdOn, :createdOn), createdKey = if_not_exists(createdKey, :createdKey)',
          ExpressionAttributeNames: { '#name': 'name' },
          ExpressionAttributeValues: {
            ':name': task.name,
            ':done': task.done,
            ':createdOn': item.createdOn,
            ':createdKey': item.createdKey,
          },
          ReturnValues: 'ALL_OLD',
        }),
      );
      if (!Attributes) return { task, created: true };
      return { task: { ...toTask(Attributes), name: task.name, done: task.done }, created: false };
    },

    remove: async (userId, id) => (await deleteExisting(tableName, { userId, id })) !== undefined,

    async removeAllOf(userId) {
      let removed = 0;
      const pages = paginateQuery(
        { client: documents, pageSize: BATCH_WRITE_LIMIT },
        {
          TableName: tableName,
          KeyConditionExpression: 'userId = :userId',
          ExpressionAttributeValues: { ':userId': userId },
          ProjectionExpression: 'userId, id',
        },
      );
      for await (const page of pages) {
        const keys = (page.Items ?? []).map(({ userId, id }) => ({ userId, id }));
        if (keys.length > 0) await deleteAll(tableName, keys);
        removed += keys.length;
      }
      return removed;
    },

    async ping() {
      await documents.send(
        new GetCommand({ TableName: tableName, Key: { userId: '#health', id: '#health' } }),
      );
    },
  };
}
