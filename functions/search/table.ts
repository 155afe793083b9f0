/**
 * Layout of the search tables, shared by the CDK construct and the adapter.
 * things: partition `id`; the geometry gzip-compressed (a 10,000-vertex
 * polygon would not fit DynamoDB's 400 KB item otherwise).
 * cells: partition `cell` (a geohash), sort `id`; one entry per covering cell,
 * plus the thing counter under the reserved partition `#meta`, which no
 * geohash can collide with.
 * names: partition `initial` (a character), sort `key` (a window of a
 * lower-cased name, U+001F, the id); one item per distinct window of each
 * name (see domain/names.ts).
 */
export const SEARCH_TABLES = {
  things: { partitionKey: 'id' },
  cells: { partitionKey: 'cell', sortKey: 'id' },
  names: { partitionKey: 'initial', sortKey: 'key' },
  counterKey: { cell: '#meta', id: '#count' },
} as const;
