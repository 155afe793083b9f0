/**
 * Layout of the search tables, shared by the CDK construct and the adapter.
 * things: partition `id`; the geometry gzip-compressed (a 10,000-vertex
 * polygon would not fit DynamoDB's 400 KB item otherwise).
 * cells: partition `cell` (a geohash), sort `id`; one entry per covering cell,
 * plus the thing counter under the reserved partition `#meta`, which no
 * geohash can collide with.
 */
export const SEARCH_TABLES = {
  things: { partitionKey: 'id' },
  cells: { partitionKey: 'cell', sortKey: 'id' },
  counterKey: { cell: '#meta', id: '#count' },
} as const;
