import { GetCommand, PutCommand, paginateScan, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import {
  conditionFailed,
  deleteExisting,
  documents,
  scanPage,
  unlessConditionFails,
} from '../shared/dynamo.js';
import type { Profile, UserStore } from './domain/users.js';

const toProfile = ({
  id,
  name,
  email,
  createdOn,
  deletingSince,
  deletingVia,
}: Record<string, unknown>): Profile => ({
  id: String(id),
  name: String(name),
  email: String(email),
  createdOn: String(createdOn),
  ...(typeof deletingSince === 'string' ? { deletingSince } : {}),
  ...(deletingVia === 'api' || deletingVia === 'directory' ? { deletingVia } : {}),
});

export function dynamoUserStore(tableName: string): UserStore {
  const get = async (id: string) => {
    const { Item } = await documents.send(
      new GetCommand({ TableName: tableName, Key: { id }, ConsistentRead: true }),
    );
    return Item ? toProfile(Item) : undefined;
  };
  /** An update of an existing profile, answering it as it is after; undefined when the condition fails. */
  const update = async (
    id: string,
    expression: string,
    condition: string,
    values: Record<string, unknown>,
    names?: Record<string, string>,
  ) => {
    const result = await unlessConditionFails(() =>
      documents.send(
        new UpdateCommand({
          TableName: tableName,
          Key: { id },
          UpdateExpression: expression,
          ConditionExpression: condition,
          ExpressionAttributeValues: values,
          ...(names ? { ExpressionAttributeNames: names } : {}),
          ReturnValues: 'ALL_NEW',
        }),
      ),
    );
    return result?.Attributes ? toProfile(result.Attributes) : undefined;
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
    page: (limit, cursor) => scanPage(tableName, limit, cursor, toProfile),
    async *every(pageSize) {
      for await (const page of paginateScan({ client: documents, pageSize }, { TableName: tableName }))
        yield (page.Items ?? []).map(toProfile);
    },
    rename: (id, name) =>
      update(
        id,
        'SET #name = :name',
        'attribute_exists(id) AND attribute_not_exists(deletingSince)',
        { ':name': name },
        { '#name': 'name' },
      ),
    markDeleting: (id, mark, renew = false) =>
      update(
        id,
        renew
          ? 'SET deletingSince = :since, deletingVia = :via'
          : 'SET deletingSince = if_not_exists(deletingSince, :since), deletingVia = if_not_exists(deletingVia, :via)',
        'attribute_exists(id)',
        { ':since': mark.deletingSince, ':via': mark.deletingVia },
      ),
    remove: async (id) => (await deleteExisting(tableName, { id })) !== undefined,
  };
}
