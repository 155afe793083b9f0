/**
 * The two filtered lists that read an index of their own, deployed: movies
 * by the start of their title (`by-title`) and everyone's bookings in one
 * state (`by-status`), and `npm run lists:reindex` for the items stored
 * before those indexes existed.
 */
import { randomUUID } from 'node:crypto';
import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';
import { bookingsService } from '../../functions/bookings/service.js';
import { moviesService } from '../../functions/movies/service.js';
import { bookOnce, call, type Person, signUp, signUpAdmin } from './people.js';
import { dynamo, resources, runScript } from './support.js';

const moviesTable = resources.table(moviesService, 'movies');
const bookingsTable = resources.table(bookingsService, 'bookings');

let admin: Person;
let person: Person;

beforeAll(async () => {
  [admin, person] = await Promise.all([signUpAdmin('indexes-admin'), signUp('indexes')]);
});

async function newMovie(title: string) {
  const created = await call('POST', 'movies', {
    as: admin,
    body: { title, rating: 7, showtimes: [{ startsAt: '2033-03-03T20:00:00Z', seats: 10 }] },
  });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  return created.body as { id: string; title: string; showtimes: [{ id: string }] };
}

async function book(movie: { id: string; showtimes: [{ id: string }] }) {
  const booked = await bookOnce(person, movie.id, movie.showtimes[0].id);
  expect(booked.status, JSON.stringify(booked.body)).toBe(201);
  return booked.body as { id: string; status: string };
}

/** The ids `GET /movies?title=` answers, every page. */
async function moviesTitled(title: string): Promise<string[]> {
  const ids: string[] = [];
  let cursor: string | undefined;
  do {
    const page = await call(
      'GET',
      `movies?limit=2&title=${encodeURIComponent(title)}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
    );
    expect(page.status, JSON.stringify(page.body)).toBe(200);
    ids.push(...page.body.items.map((m: { id: string }) => m.id));
    cursor = page.body.cursor;
  } while (cursor);
  return ids;
}

/** The newest page of everyone's bookings in `status` (this file's are among the newest). */
async function newestIn(status: string): Promise<Array<{ id: string; status: string }>> {
  const page = await call('GET', `bookings/all?status=${status}&limit=100`, { as: admin });
  expect(page.status, JSON.stringify(page.body)).toBe(200);
  return page.body.items;
}

describe('movies by the start of their title', () => {
  it('finds the titles that start with the text, in any case, in title order, and no others', async () => {
    const word = `Indexed${randomUUID().slice(0, 8)}`;
    const later = await newMovie(`${word} Zebra`);
    const earlier = await newMovie(`${word.toUpperCase()} aardvark`);
    const inside = await newMovie(`The ${word}`);
    expect(await moviesTitled(word.toLowerCase())).toEqual([earlier.id, later.id]);
    expect(await moviesTitled(`${word} z`)).toEqual([later.id]);
    expect(await moviesTitled(word)).not.toContain(inside.id);
  });
});

describe('everyone’s bookings in one state', () => {
  it('lists a booking under its state, newest first, and under its new state once cancelled', async () => {
    const movie = await newMovie(`Stateful ${randomUUID().slice(0, 8)}`);
    const first = await book(movie);
    const second = await book(movie);
    const confirmed = await newestIn('confirmed');
    expect(confirmed.every((b) => b.status === 'confirmed')).toBe(true);
    const ids = confirmed.map((b) => b.id);
    expect(ids).toEqual([...ids].sort().reverse());
    expect(ids.indexOf(second.id)).toBeLessThan(ids.indexOf(first.id));
    expect(ids.indexOf(first.id)).toBeGreaterThanOrEqual(0);

    expect((await call('DELETE', `bookings/${first.id}`, { as: person })).status).toBe(204);
    await expect
      .poll(async () => (await newestIn('cancelled')).map((b) => b.id), { timeout: 30_000 })
      .toContain(first.id);
    expect((await newestIn('confirmed')).map((b) => b.id)).not.toContain(first.id);
  });
});

describe('npm run lists:reindex', () => {
  it('indexes the movies and bookings stored before the indexes, and leaves the others as they are', async () => {
    const title = `Legacy reel ${randomUUID().slice(0, 8)}`;
    const movie = await newMovie(title);
    const booking = await book(movie);
    // What they look like when stored before the indexes: no index keys.
    await dynamo.send(
      new UpdateCommand({
        TableName: moviesTable,
        Key: { id: movie.id },
        UpdateExpression: 'REMOVE titleInitial, titleSearch',
      }),
    );
    await dynamo.send(
      new UpdateCommand({
        TableName: bookingsTable,
        Key: { id: booking.id },
        UpdateExpression: 'REMOVE statusShard',
      }),
    );
    expect(await moviesTitled(title)).toEqual([]);
    expect((await newestIn('confirmed')).map((b) => b.id)).not.toContain(booking.id);

    const run = await runScript('bin/lists-reindex.ts', []);
    expect(run.status, run.stderr).toBe(0);
    const [, titles, states] = /^indexed the titles of (\d+) movies and the states of (\d+) bookings/.exec(
      run.stdout,
    ) ?? ['', 'none', 'none'];
    expect(Number(titles)).toBeGreaterThanOrEqual(1);
    expect(Number(states)).toBeGreaterThanOrEqual(1);
    expect(await moviesTitled(title)).toEqual([movie.id]);
    expect((await newestIn('confirmed')).map((b) => b.id)).toContain(booking.id);

    // Run again: everything has its keys now.
    const again = await runScript('bin/lists-reindex.ts', []);
    expect(again.stdout).toMatch(/^indexed the titles of 0 movies and the states of 0 bookings/);
  });
});
