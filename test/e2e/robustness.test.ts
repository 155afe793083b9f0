import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { bookingsService } from '../../functions/bookings/service.js';
import { BOOKINGS_TABLE } from '../../functions/bookings/table.js';
import { moviesService } from '../../functions/movies/service.js';
import { tasksService } from '../../functions/tasks/service.js';
import { TASKS_TABLE } from '../../functions/tasks/table.js';
import { usersService } from '../../functions/users/service.js';
import { type Person, signUp, signUpAdmin } from './people.js';
import { api, resources } from './support.js';

/** The inputs the fuzzing report of issue 8 found, against the deployed API: each a 4xx naming the problem. */
const post = (path: string, body: string, contentType = 'application/json', token?: string) =>
  api(path, {
    method: 'POST',
    headers: { 'content-type': contentType, ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body,
  });

let person: Person;
let admin: Person;
beforeAll(async () => {
  [person, admin] = await Promise.all([signUp('robust'), signUpAdmin('robust-admin')]);
});

const square = (tiny = 0) => [
  [0, 0],
  [1, tiny],
  [1, 1],
  [0, 1],
  [0, 0],
];

describe('inputs that once crashed or slipped through', () => {
  it('POST /movies with a rating of 1e-200 is a 400 on body.rating, not a 500', async () => {
    const response = await post(
      'movies',
      '{"title":"x","rating":1e-200,"showtimes":[]}',
      'application/json',
      admin.accessToken,
    );
    expect(response.status).toBe(400);
    expect(response.body.fields).toEqual([
      { field: 'body.rating', message: 'must be 0 or of magnitude between 1e-130 and 1e+126' },
    ]);
  });

  it('POST /things with a coordinate of 1e-200 is a 400 naming the coordinate', async () => {
    const body = JSON.stringify({
      name: 'tiny',
      geometry: { type: 'Polygon', coordinates: [square(1e-200)] },
    });
    const response = await post('things', body, 'application/json', admin.accessToken);
    expect(response.status).toBe(400);
    expect(response.body.fields.map((f: { field: string }) => f.field)).toEqual([
      'body.geometry.coordinates.0.1.1',
    ]);
  });

  it.each(['users', 'movies', 'bookings', 'tasks'])(
    'GET /%s?cursor=eyJpZCI6IiJ9 (a crafted cursor) is a 400 on query.cursor',
    async (list) => {
      const response = await api(`${list}?cursor=eyJpZCI6IiJ9`, {
        headers: { authorization: `Bearer ${admin.accessToken}` },
      });
      expect(response.status).toBe(400);
      expect(response.body.fields).toEqual([
        { field: 'query.cursor', message: 'is not a cursor returned by this list' },
      ]);
    },
  );

  it.each(['text/plain', 'application/octet-stream'])('a JSON body sent as %s is a 415', async (type) => {
    const response = await post('tasks', '{"name":"x"}', type, person.accessToken);
    expect(response.status).toBe(415);
    expect(response.headers.get('content-type')).toContain('application/json');
    expect(response.body.error).toBe('UnsupportedMediaType');
  });

  it('a body sent as application/json; charset=UTF-8 is read', async () => {
    const response = await post(
      'tasks',
      '{"name":"x"}',
      'Application/JSON; charset=UTF-8',
      person.accessToken,
    );
    expect(response.status).toBe(201);
  });

  it('an email whose local part is 103 characters is a 400 on body.email', async () => {
    const email = `${'a'.repeat(103)}@example.com`;
    const response = await post('auth/signup', JSON.stringify({ email, password: 'Corr3ct-horse!' }));
    expect(response.status).toBe(400);
    expect(response.body.fields).toEqual([
      { field: 'body.email', message: 'must have at most 64 characters before the @' },
    ]);
  });

  it('a self-intersecting ring is a 400 naming the ring, and nothing is indexed', async () => {
    const name = `bowtie-${randomUUID().slice(0, 8)}`;
    const bowtie = [
      [0, 0],
      [4, 4],
      [4, 0],
      [0, 4],
      [0, 0],
    ];
    const response = await post(
      'things',
      JSON.stringify({ name, geometry: { type: 'Polygon', coordinates: [bowtie] } }),
      'application/json',
      admin.accessToken,
    );
    expect(response.status).toBe(400);
    expect(response.body.fields).toEqual([
      { field: 'body.geometry.coordinates.0', message: 'ring crosses itself (at [2, 2])' },
    ]);
    expect((await api(`search?query=${name}`)).body.total).toBe(0);
  });
});

describe('list cursors', () => {
  /** Every physical table and index name a list reads, and the parts a table name is made of. */
  const names = () => {
    const tables = [
      resources.table(usersService, 'users'),
      resources.table(moviesService, 'movies'),
      resources.table(bookingsService, 'bookings'),
      resources.table(tasksService, 'tasks'),
    ];
    return [...tables, BOOKINGS_TABLE.byUserIndex, TASKS_TABLE.newestFirstIndex, 'Microservices', 'table'];
  };

  /** The cursor of the first page (one item) of a list, as `who` gets it. */
  const firstCursor = async (list: string, who: Person): Promise<string> => {
    const response = await api(`${list}?limit=1`, {
      headers: { authorization: `Bearer ${who.accessToken}` },
    });
    expect(response.status, list).toBe(200);
    expect(typeof response.body.cursor, list).toBe('string');
    return response.body.cursor as string;
  };

  let lists: Array<[string, Person]>;
  beforeAll(async () => {
    const auth = (who: Person) => ({ authorization: `Bearer ${who.accessToken}` });
    const movie = await api('movies', {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...auth(admin) },
      body: JSON.stringify({
        title: 'Cursors',
        rating: 5,
        showtimes: [{ startsAt: '2030-01-01T20:00:00Z', seats: 5 }],
      }),
    });
    expect(movie.status).toBe(201);
    const booking = await post(
      'bookings',
      JSON.stringify({ movieId: movie.body.id, showtimeId: movie.body.showtimes[0].id, seats: 1 }),
      'application/json',
      person.accessToken,
    );
    expect(booking.status).toBe(201);
    expect((await post('tasks', '{"name":"cursor"}', 'application/json', person.accessToken)).status).toBe(
      201,
    );
    lists = [
      ['users', admin],
      ['movies', admin],
      ['bookings/all', admin],
      ['bookings', person],
      ['tasks', person],
    ];
  });

  it('given out by every list hold no table or index name, decoded', async () => {
    for (const [list, who] of lists) {
      const cursor = await firstCursor(list, who);
      const decoded = Buffer.from(cursor, 'base64url').toString('latin1');
      for (const name of names()) expect(decoded, `${list} as ${who.email}`).not.toContain(name);
    }
  });

  it('altered, are refused with a 400 on query.cursor', async () => {
    for (const [list, who] of lists) {
      const cursor = await firstCursor(list, who);
      const altered = `${cursor.slice(0, 20)}${cursor[20] === 'A' ? 'B' : 'A'}${cursor.slice(21)}`;
      const response = await api(`${list}?limit=1&cursor=${altered}`, {
        headers: { authorization: `Bearer ${who.accessToken}` },
      });
      expect(response.status, list).toBe(400);
      expect(response.body.fields).toEqual([
        { field: 'query.cursor', message: 'is not a cursor returned by this list' },
      ]);
    }
  });

  it("of one person's list are refused for another's", async () => {
    const cursor = await firstCursor('tasks', person);
    const response = await api(`tasks?limit=1&cursor=${cursor}`, {
      headers: { authorization: `Bearer ${admin.accessToken}` },
    });
    expect(response.status).toBe(400);
    expect(response.body.fields[0].field).toBe('query.cursor');
  });
});
