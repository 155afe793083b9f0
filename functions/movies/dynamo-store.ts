import { DeleteCommand, GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { documents, projection, scanPage, unlessConditionFails } from '../shared/dynamo.js';
import type { Movie, MovieCatalog, Showtime } from './domain/movies.js';

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

/** The movies themselves, in the movies table: one item per movie, its showtimes a map by id. */
export function dynamoMovieStore(tableName: string): MovieCatalog {
  return {
    async insert(movie) {
      await documents.send(
        new PutCommand({
          TableName: tableName,
          Item: { ...movie, showtimes: Object.fromEntries(movie.showtimes.map((s) => [s.id, stored(s)])) },
          ConditionExpression: 'attribute_not_exists(id)',
        }),
      );
    },
    async get(id) {
      const { Item } = await documents.send(new GetCommand({ TableName: tableName, Key: { id }, ...MOVIE }));
      return Item ? toMovie(Item) : undefined;
    },
    list: (limit, cursor) => scanPage(tableName, limit, cursor, toMovie, MOVIE),
    async replace(id, { title, director, rating }) {
      const result = await unlessConditionFails(() =>
        documents.send(
          new UpdateCommand({
            TableName: tableName,
            Key: { id },
            UpdateExpression:
              director === undefined
                ? 'SET title = :title, rating = :rating REMOVE director'
                : 'SET title = :title, rating = :rating, director = :director',
            ConditionExpression: 'attribute_exists(id)',
            ExpressionAttributeValues: {
              ':title': title,
              ':rating': rating,
              ...(director === undefined ? {} : { ':director': director }),
            },
            ReturnValues: 'ALL_NEW',
          }),
        ),
      );
      return result?.Attributes ? toMovie(result.Attributes) : undefined;
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
