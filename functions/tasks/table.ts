/**
 * The tasks table's layout, shared by the CDK construct and the store adapter:
 * partition `userId`, sort `id`; local secondary index `newest-first` sorted by
 * `createdKey` = `<createdOn>#<id>`, so a user's tasks list newest first with
 * one Query.
 */
export const TASKS_TABLE = {
  partitionKey: 'userId',
  sortKey: 'id',
  newestFirstIndex: 'newest-first',
  newestFirstSortKey: 'createdKey',
} as const;
