import { GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { deleteExisting, documents, scanPage, unlessConditionFails } from '../shared/dynamo.js';
import type { User, UserStore } from './domain/users.js';

const toUser = ({ id, name, email, createdOn }: Record<string, unknown>): User => ({
  id: String(id),
  name: String(name),
  email: String(email),
  createdOn: String(createdOn),
});

export function dynamoUserStore(tableName: string): UserStore {
  return {
    async insert(user) {
      await documents.send(
        new PutCommand({ TableName: tableName, Item: user, ConditionExpression: 'attribute_not_exists(id)' }),
      );
    },
    async get(id) {
      const { Item } = await documents.send(new GetCommand({ TableName: tableName, Key: { id } }));
      return Item ? toUser(Item) : undefined;
    },
    list: (limit, cursor) => scanPage(tableName, limit, cursor, toUser),
    async replace(id, { name, email }) {
      const result = await unlessConditionFails(() =>
        documents.send(
          new UpdateCommand({
            TableName: tableName,
            Key: { id },
            UpdateExpression: 'SET #name = :name, email = :email',
            ConditionExpression: 'attribute_exists(id)',
            ExpressionAttributeNames: { '#name': 'name' },
            ExpressionAttributeValues: { ':name': name, ':email': email },
            ReturnValues: 'ALL_NEW',
          }),
        ),
      );
      return result?.Attributes ? toUser(result.Attributes) : undefined;
    },
    remove: async (id) => (await deleteExisting(tableName, { id })) !== undefined,
  };
}
