import { GetCommand, PutCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
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

    async ping() {
      await documents.send(
        new GetCommand({ TableName: tableName, Key: { userId: '#health', id: '#health' } }),
      );
    },
  };
}
