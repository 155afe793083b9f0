import { DeleteCommand, GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { documents, scanPage, unlessConditionFails } from '../shared/dynamo.js';
import type { Movie, MovieStore, Showtime } from './domain/movies.js';

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

export function dynamoMovieStore(tableName: string): MovieStore {
  const seatsOf = async (movieId: string, showtimeId: string) => {
    const { Item } = await documents.send(new GetCommand({ TableName: tableName, Key: { id: movieId } }));
    return (Item?.showtimes as Record<string, Showtime> | undefined)?.[showtimeId];
  };
  return {
    async insert(movie) {
      await documents.send(
        new PutCommand({
          TableName: tableName,
          Item: { ...movie, showtimes: Object.fromEntries(movie.showtimes.map((s) => [s.id, s])) },
          ConditionExpression: 'attribute_not_exists(id)',
        }),
      );
    },
    async get(id) {
      const { Item } = await documents.send(new GetCommand({ TableName: tableName, Key: { id } }));
      return Item ? toMovie(Item) : undefined;
    },
    list: (limit, cursor) => scanPage(tableName, limit, cursor, toMovie),
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
    async reserve(movieId, showtimeId, seats) {
      const taken = await unlessConditionFails(() =>
        documents.send(
          new UpdateCommand({
            TableName: tableName,
            Key: { id: movieId },
            UpdateExpression: 'SET showtimes.#showtime.available = showtimes.#showtime.available - :seats',
            ConditionExpression:
              'attribute_exists(showtimes.#showtime) AND showtimes.#showtime.available >= :seats',
            ExpressionAttributeNames: { '#showtime': showtimeId },
            ExpressionAttributeValues: { ':seats': seats },
          }),
        ),
      );
      if (taken) return 'reserved';
      return (await seatsOf(movieId, showtimeId)) ? 'not-enough-seats' : 'no-such-showtime';
    },
    async release(movieId, showtimeId, seats) {
      // Never more than the showtime has; a release for a deleted movie or showtime does nothing.
      await unlessConditionFails(() =>
        documents.send(
          new UpdateCommand({
            TableName: tableName,
            Key: { id: movieId },
            UpdateExpression: 'SET showtimes.#showtime.available = showtimes.#showtime.available + :seats',
            ConditionExpression:
              'attribute_exists(showtimes.#showtime) AND showtimes.#showtime.available <= showtimes.#showtime.seats - :seats',
            ExpressionAttributeNames: { '#showtime': showtimeId },
            ExpressionAttributeValues: { ':seats': seats },
          }),
        ),
      );
    },
  };
}
