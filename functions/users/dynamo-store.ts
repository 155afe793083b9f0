import { GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import {
  conditionFailed,
  deleteExisting,
  documents,
  scanPage,
  unlessConditionFails,
} from '../shared/dynamo.js';
import type { User, UserStore } from './domain/users.js';

const toUser = ({ id, name, email, createdOn }: Record<string, unknown>): User => ({
  id: String(id),
  name: String(name),
  email: String(email),
  createdOn: String(createdOn),
});

export function dynamoUserStore(tableName: string): UserStore {
  const get = async (id: string) => {
    const { Item } = await documents.send(
      new GetCommand({ TableName: tableName, Key: { id }, ConsistentRead: true }),
    );
    return Item ? toUser(Item) : undefined;
  };
  return {
    async insertIfAbsent(user) {
      try {
        await documents.send(
          new PutCommand({
            TableName: tableName,
            Item: user,
            ConditionExpression: 'attribute_not_exists(id)',
          }),
        );
        return user;
      } catch (error) {
        const existing = conditionFailed(error) ? await get(user.id) : undefined;
        if (!existing) throw error;
        return existing;
      }
    },
    get,
    list: (limit, cursor) => scanPage(tableName, limit, cursor, toUser),
    async rename(id, name) {
      const result = await unlessConditionFails(() =>
        documents.send(
          new UpdateCommand({
            TableName: tableName,
            Key: { id },
            UpdateExpression: 'SET #name = :name',
            ConditionExpression: 'attribute_exists(id)',
            ExpressionAttributeNames: { '#name': 'name' },
            ExpressionAttributeValues: { ':name': name },
            ReturnValues: 'ALL_NEW',
          }),
        ),
      );
      return result?.Attributes ? toUser(result.Attributes) : undefined;
    },
    remove: async (id) => (await deleteExisting(tableName, { id })) !== undefined,
  };
}
