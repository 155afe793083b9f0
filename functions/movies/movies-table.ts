/**
 * The movies table's layout, shared by the service declaration and the store
 * adapter: partition `id`, and the global secondary index `by-title` of the
 * movies by their lower-cased title (partition `titleInitial`, its first
 * character, so the titles spread over many keys; sort `titleSearch`, the
 * whole lower-cased title). A search for the titles starting with a text is
 * one Query on its first character with `begins_with`: it reads the movies
 * it returns and no others.
 */
export const MOVIES_TABLE = {
  partitionKey: 'id',
  byTitleIndex: 'by-title',
  byTitle: { partitionKey: 'titleInitial', sortKey: 'titleSearch' },
} as const;

/** What a title is searched by: lower-cased (the search text is lower-cased alike). */
export const titleSearch = (title: string) => title.toLowerCase();

/** A title's (or a search text's) first character, lower-cased: a whole code point, as keys are UTF-8. */
export const titleInitial = (title: string) => String.fromCodePoint(titleSearch(title).codePointAt(0) ?? 0);
