import { DeleteCommand, GetCommand, PutCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { cursorPage, documents, projection, scanPage, unlessConditionFails } from '../shared/dynamo.js';
import { ANYONE } from '../shared/pagination.js';
import type { Movie, MovieCatalog, Showtime } from './domain/movies.js';
import { MOVIES_TABLE, titleInitial, titleSearch } from './movies-table.js';

/** What a movie is made of (what else an item holds stays behind). */
const MOVIE = projection(['id', 'title', 'director', 'rating', 'showtimes']);

/** Showtimes are stored as a map by id, so one conditional UpdateItem can take seats from one of them. */
function toMovie(raw: Record<string, unknown>): Movie {
  const showtimes = Object.values((raw.showtimes ?? {}) as Record<string, Showtime>)
    .map((s) => ({ id: s.id, startsAt: s.startsAt, seats: Number(s.seats), available: Number(s.available) }))
    .sort((a, b) => a.startsAt.localeCompare(b.startsAt) || a.id.localeCompare(b.id));
  return {
    id: String(raw.id),
    title: String(raw.title),
    ...(raw.director !== undefined ? { director: String(raw.director) } : {}),
    rating: Number(raw.rating),
    showtimes,
  };
}

/** A showtime as stored: its start also as epoch ms, which the reserve's condition compares with the clock. */
interface StoredShowtime extends Showtime {
  startsAtMs: number;
}

const stored = (showtime: Showtime): StoredShowtime => ({
  ...showtime,
  startsAtMs: Date.parse(showtime.startsAt),
});

/** A movie as its item holds it: its title's keys in the by-title index, its showtimes a map by id. */
export const movieItem = (movie: Movie): Record<string, unknown> => ({
  ...movie,
  titleInitial: titleInitial(movie.title),
  titleSearch: titleSearch(movie.title),
  showtimes: Object.fromEntries(movie.showtimes.map((s) => [s.id, stored(s)])),
});

/**
 * Writes a movie's keys in the by-title index, for a movie stored before
 * the index existed; answers whether it wrote them. Only while its title is
 * still `title` (a rename writes them itself).
 */
export async function indexTitle(tableName: string, id: string, title: string): Promise<boolean> {
  const written = await unlessConditionFails(() =>
    documents.send(
      new UpdateCommand({
        TableName: tableName,
        Key: { id },
        UpdateExpression: 'SET titleInitial = :initial, titleSearch = :search',
        ConditionExpression: 'title = :title',
        ExpressionAttributeValues: {
          ':initial': titleInitial(title),
          ':search': titleSearch(title),
          ':title': title,
        },
      }),
    ),
  );
  return written !== undefined;
}

/** The movies themselves, in the movies table: one item per movie, its showtimes a map by id. */
export function dynamoMovieStore(tableName: string): MovieCatalog {
  return {
    async insert(movie) {
      await documents.send(
        new PutCommand({
          TableName: tableName,
          Item: movieItem(movie),
          ConditionExpression: 'attribute_not_exists(id)',
        }),
      );
    },
    async get(id) {
      const { Item } = await documents.send(new GetCommand({ TableName: tableName, Key: { id }, ...MOVIE }));
      return Item ? toMovie(Item) : undefined;
    },
    list: (limit, cursor, title) =>
      title === undefined
        ? scanPage(tableName, limit, cursor, toMovie, MOVIE)
        : cursorPage(
            // A cursor serves the search it was made for only.
            { list: `${tableName}/${MOVIES_TABLE.byTitleIndex}?title=${title}`, caller: ANYONE },
            ['id', MOVIES_TABLE.byTitle.partitionKey, MOVIES_TABLE.byTitle.sortKey],
            cursor,
            (start) =>
              documents.send(
                new QueryCommand({
                  TableName: tableName,
                  IndexName: MOVIES_TABLE.byTitleIndex,
                  KeyConditionExpression: '#initial = :initial AND begins_with(#search, :title)',
                  ExpressionAttributeNames: {
                    ...MOVIE.ExpressionAttributeNames,
                    '#initial': MOVIES_TABLE.byTitle.partitionKey,
                    '#search': MOVIES_TABLE.byTitle.sortKey,
                  },
                  ExpressionAttributeValues: {
                    ':initial': titleInitial(title),
                    ':title': titleSearch(title),
                  },
                  ProjectionExpression: MOVIE.ProjectionExpression,
                  ExclusiveStartKey: start,
                  Limit: limit,
                }),
              ),
            toMovie,
          ),
    async replace(id, { title, director, rating }) {
      const result = await unlessConditionFails(() =>
        documents.send(
          new UpdateCommand({
            TableName: tableName,
            Key: { id },
            UpdateExpression:
              director === undefined
                ? 'SET title = :title, titleInitial = :initial, titleSearch = :search, rating = :rating REMOVE director'
                : 'SET title = :title, titleInitial = :initial, titleSearch = :search, rating = :rating, director = :director',
            ConditionExpression: 'attribute_exists(id)',
            ExpressionAttributeValues: {
              ':title': title,
              ':initial': titleInitial(title),
              ':search': titleSearch(title),
              ':rating': rating,
              ...(director === undefined ? {} : { ':director': director }),
            },
            ReturnValues: 'ALL_NEW',
          }),
        ),
      );
      return result?.Attributes ? toMovie(result.Attributes) : undefined;
    },
    async addShowtimes(id, showtimes) {
      const names = Object.fromEntries(showtimes.map((s, i) => [`#s${i}`, s.id]));
      const values = Object.fromEntries(showtimes.map((s, i) => [`:s${i}`, stored(s)]));
      const result = await unlessConditionFails(() =>
        documents.send(
          new UpdateCommand({
            TableName: tableName,
            Key: { id },
            UpdateExpression: `SET ${showtimes.map((_, i) => `showtimes.#s${i} = :s${i}`).join(', ')}`,
            ConditionExpression: 'attribute_exists(id)',
            ExpressionAttributeNames: names,
            ExpressionAttributeValues: values,
            ReturnValues: 'ALL_NEW',
          }),
        ),
      );
      return result?.Attributes ? toMovie(result.Attributes) : undefined;
    },
    async removeShowtime(id, showtimeId) {
      // Only while all its seats are free: a hold takes from `available` in the same write as it is recorded.
      const removed = await unlessConditionFails(() =>
        documents.send(
          new UpdateCommand({
            TableName: tableName,
            Key: { id },
            UpdateExpression: 'REMOVE showtimes.#s',
            ConditionExpression:
              'attribute_exists(showtimes.#s) AND showtimes.#s.#available = showtimes.#s.#seats',
            ExpressionAttributeNames: { '#s': showtimeId, '#available': 'available', '#seats': 'seats' },
          }),
        ),
      );
      if (removed) return 'removed';
      const { Item } = await documents.send(
        new GetCommand({ TableName: tableName, Key: { id }, ConsistentRead: true, ...MOVIE }),
      );
      return Item && toMovie(Item).showtimes.some((s) => s.id === showtimeId) ? 'booked' : 'missing';
    },
    async removeUnbooked(movie) {
      // Every showtime still has all its seats: one `available = seats` term per showtime,
      // compared with the seat count as a value to keep the expression short (100 showtimes fit 4 KB).
      const names: Record<string, string> = {};
      const values: Record<string, number> = {};
      const terms = ['attribute_exists(id)'];
      movie.showtimes.forEach((showtime, i) => {
        names['#available'] = 'available';
        names[`#s${i}`] = showtime.id;
        values[`:s${i}`] = showtime.seats;
        terms.push(`showtimes.#s${i}.#available = :s${i}`);
      });
      const deleted = await unlessConditionFails(() =>
        documents.send(
          new DeleteCommand({
            TableName: tableName,
            Key: { id: movie.id },
            ConditionExpression: terms.join(' AND '),
            ...(movie.showtimes.length > 0
              ? { ExpressionAttributeNames: names, ExpressionAttributeValues: values }
              : {}),
          }),
        ),
      );
      return deleted ? 'deleted' : 'changed';
    },
  };
}
