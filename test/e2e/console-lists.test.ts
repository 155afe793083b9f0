import { randomUUID } from 'node:crypto';
import * as path from 'node:path';
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { chromiumForTests, expectAccessible, SHOTS, submitLogin, untilShown } from './browser.js';
import { CONSOLE, findMovie, findOnPages } from './console-page.js';
import { call, type Person, signUp, signUpAdmin } from './people.js';

const openPage = chromiumForTests();
const newPage = (width = 1280): Promise<Page> => openPage({ width });

let admin: Person;
beforeAll(async () => {
  admin = await signUpAdmin('lists');
});

async function logIn(page: Page, person: Person, route = 'tasks'): Promise<void> {
  await page.goto(`${CONSOLE}#/${route}`);
  await submitLogin(page, person);
}

/** Axe at desktop width and at 375 px, with a screenshot of each. */
async function accessibleAtBothWidths(page: Page, name: string): Promise<void> {
  await expectAccessible(page, `${name} at 1280 px`);
  await page.screenshot({ path: path.join(SHOTS, `${name}-lists-desktop.png`), fullPage: true });
  await page.setViewportSize({ width: 375, height: 812 });
  await expectAccessible(page, `${name} at 375 px`);
  await page.screenshot({ path: path.join(SHOTS, `${name}-lists-375.png`), fullPage: true });
  await page.setViewportSize({ width: 1280, height: 900 });
}

/** Requests to the tasks list (reads and adds), and to the caller's own bookings. */
const taskList = (url: URL) => url.pathname.endsWith('/tasks');
const ownBookings = (url: URL) => url.pathname.endsWith('/bookings');

const taskNames = (page: Page) => page.locator('ul.tasks li .task-name').allTextContents();

/** A movie made through the API: one showtime that has started and one to come. */
async function newMovie(seats = 10) {
  const created = await call('POST', 'movies', {
    as: admin,
    body: {
      title: `Lists film ${randomUUID().slice(0, 6)}`,
      rating: 8.5,
      showtimes: [
        { startsAt: '2020-01-01T20:00:00Z', seats },
        { startsAt: '2031-06-01T20:00:00Z', seats },
      ],
    },
  });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  type Showtime = { id: string; startsAt: string };
  return created.body as { id: string; title: string; showtimes: [Showtime, Showtime] };
}

describe('console lists and actions in a browser', () => {
  it('adds once on a double click; 23 tasks page in order after an add, without a reload; a delete fills the page back up', async () => {
    const person = await signUp('pager');
    const page = await newPage();
    await logIn(page, person);
    await page.locator('[data-empty]').waitFor();

    await page.fill('#new-task', 'task 1');
    await page.locator('form.inline button[type="submit"]').dblclick();
    await page.locator('ul.tasks li', { hasText: 'task 1' }).waitFor();
    await page.locator('form.inline button[type="submit"]:has-text("Add")').waitFor();
    // Tasks 2 to 22 come from elsewhere (the API, which is quicker than typing them); the page knows
    // nothing of them until the next add here, after which it must page through all 23.
    for (let n = 2; n <= 22; n++) {
      expect((await call('POST', 'tasks', { as: person, body: { name: `task ${n}` } })).status).toBe(201);
    }
    await page.fill('#new-task', 'task 23');
    await page.press('#new-task', 'Enter');
    await page.locator('ul.tasks li .task-name', { hasText: /^task 23$/ }).waitFor();
    const stored = await call('GET', 'tasks?limit=100', { as: person });
    expect(stored.body.tasks.map((t: { name: string }) => t.name)).toHaveLength(23);

    const expected = Array.from({ length: 23 }, (_, i) => `task ${23 - i}`);
    const older = page.locator('nav[aria-label="Task pages"] button:has-text("Older")');
    const pageLabel = page.locator('nav[aria-label="Task pages"] span');
    await untilShown(() => older.isEnabled()).toBe(true);
    const seen: string[] = [...(await taskNames(page))];
    for (const n of [2, 3]) {
      await older.click();
      await untilShown(() => pageLabel.textContent()).toBe(`Page ${n}`);
      seen.push(...(await taskNames(page)));
    }
    expect(seen).toEqual(expected);
    expect(await older.isDisabled()).toBe(true);

    // Back on page 1, a delete (asked first) brings the next task up: ten rows again.
    await page.click('nav[aria-label="Task pages"] button:has-text("Newer")');
    await page.click('nav[aria-label="Task pages"] button:has-text("Newer")');
    await untilShown(() => pageLabel.textContent()).toBe('Page 1');
    await page.getByRole('button', { name: 'Delete task 23', exact: true }).click();
    await page.getByRole('button', { name: 'Yes, delete task 23' }).click();
    await untilShown(() => taskNames(page)).toEqual(expected.slice(1, 11));
    await accessibleAtBothWidths(page, 'tasks');
  });

  it('books once on a double click, from a deep link that survives login; past showtimes are not bookable', async () => {
    const movie = await newMovie();
    const [past, future] = movie.showtimes;
    const person = await signUp('booker');
    const page = await newPage();
    // A deep link: the login page shows, and the person lands on Movies once logged in.
    await page.goto(`${CONSOLE}#/movies`);
    await page.locator('text=Log in to see Movies').waitFor();
    await submitLogin(page, person);
    await page.waitForSelector('h1:has-text("Movies")');
    expect(new URL(page.url()).hash).toBe('#/movies');

    const card = await findMovie(page, movie.title);
    const pastRow = card.locator(`[data-showtime="${past.id}"]`);
    expect(await pastRow.textContent()).toContain('no longer bookable');
    expect(await pastRow.locator('button').count()).toBe(0);
    const row = card.locator(`[data-showtime="${future.id}"]`);
    await row.locator('input.seats-input').fill('2');
    await row.getByRole('button', { name: /^Book seats/ }).dblclick();
    await row.locator('.outcome:has-text("Booked 2 seats")').waitFor();
    await untilShown(() => row.locator('[data-available]').textContent()).toBe('8');
    const mine = await call('GET', 'bookings', { as: person });
    expect(mine.body.items).toHaveLength(1);
    expect(mine.body.items[0]).toMatchObject({ seats: 2, status: 'confirmed' });
    const booking = page.locator('table.bookings tbody tr', { hasText: movie.title });
    await booking.locator('[data-status="confirmed"]').waitFor();
    await accessibleAtBothWidths(page, 'movies');
  });

  it('shows an HTML 502 and a network failure as sentences with status and request id, and Retry works with the same key', async () => {
    const person = await signUp('failing');
    const page = await newPage();
    await logIn(page, person);
    await page.locator('[data-empty]').waitFor();

    // The list read answers a proxy's HTML 502 once.
    await page.route(taskList, (route) =>
      route.fulfill({
        status: 502,
        contentType: 'text/html',
        body: '<html><body><h1>502 Bad Gateway</h1></body></html>',
      }),
    );
    await page.reload();
    const problem = page.locator('.problem');
    await problem.waitFor();
    expect(await problem.locator('.problem-sentence').textContent()).toContain(
      'the API is not answering properly',
    );
    expect(await problem.textContent()).toContain('502 Bad Gateway');
    expect(await problem.textContent()).not.toMatch(/Unexpected token|JSON/);
    await page.unroute(taskList);
    await problem.getByRole('button', { name: 'Retry' }).click();
    await page.locator('[data-empty]').waitFor();

    // The add gets no answer (the network drops it) once; Retry sends it again with the same key.
    const keys: string[] = [];
    page.on('request', (request) => {
      if (request.method() === 'POST' && request.url().endsWith('/tasks'))
        keys.push(request.headers()['idempotency-key'] ?? '');
    });
    let dropped = false;
    await page.route(taskList, (route) => {
      if (route.request().method() === 'POST' && !dropped) {
        dropped = true;
        return route.abort('internetdisconnected');
      }
      return route.continue();
    });
    await page.fill('#new-task', 'survives the network');
    await page.click('form.inline button[type="submit"]');
    await problem.waitFor();
    expect(await problem.locator('.problem-sentence').textContent()).toContain(
      'the API could not be reached',
    );
    expect(await problem.textContent()).toContain('no answer');
    await expectAccessible(page, 'tasks page with a failure');
    await problem.getByRole('button', { name: 'Retry' }).click();
    await page.locator('ul.tasks li', { hasText: 'survives the network' }).waitFor();
    await problem.waitFor({ state: 'detached' });
    expect(keys).toHaveLength(2);
    expect(keys[1]).toBe(keys[0]);
    expect((await call('GET', 'tasks', { as: person })).body.tasks).toHaveLength(1);

    // A refusal shows its request id, in words next to the field.
    await page.fill('#new-task', 'x'.repeat(201));
    await page.click('form.inline button[type="submit"]');
    const fieldError = page.locator('#new-task-error');
    await fieldError.waitFor();
    expect(await fieldError.textContent()).not.toMatch(/body\./);
  });

  it('says a session ended and returns to the page the person was on after logging in again', async () => {
    const person = await signUp('ended');
    const page = await newPage();
    await logIn(page, person, 'movies');
    await page.waitForSelector('h1:has-text("Movies")');
    // The session is revoked: the access token is refused and so is its refresh.
    await page.route('**/auth/refresh', (route) =>
      route.fulfill({
        status: 401,
        contentType: 'application/json',
        body: '{"message":"refresh token revoked"}',
      }),
    );
    await page.route(ownBookings, (route) =>
      route.fulfill({ status: 401, contentType: 'application/json', body: '{"message":"Unauthorized"}' }),
    );
    await page.reload();
    await page.locator('[data-session-ended]').waitFor();
    expect(await page.locator('[data-session-ended]').textContent()).toContain('Movies');
    await page.unroute('**/auth/refresh');
    await page.unroute(ownBookings);
    await submitLogin(page, person);
    await page.waitForSelector('h1:has-text("Movies")');
    expect(new URL(page.url()).hash).toBe('#/movies');
  });

  it('lets an admin add a movie with two showtimes and a rating of 8.5, edit it, and delete it after confirming; lists things, bookings and users', async () => {
    const thing = await call('POST', 'things', {
      as: admin,
      body: {
        name: `Plot ${randomUUID().slice(0, 6)}`,
        geometry: {
          type: 'Polygon',
          coordinates: [
            [
              [1, 1],
              [2, 1],
              [2, 2],
              [1, 2],
              [1, 1],
            ],
          ],
        },
      },
    });
    expect(thing.status).toBe(201);
    const page = await newPage();
    await logIn(page, admin, 'admin');
    await page.waitForSelector('h1:has-text("Admin")');

    const title = `Edited film ${randomUUID().slice(0, 6)}`;
    await page.fill('#movie-title', title);
    await page.fill('#movie-rating', '8.5');
    await page.fill('#showtime-start-0', '2031-02-03T19:30');
    await page.click('button:has-text("Add another showtime")');
    await page.fill('#showtime-start-1', '2031-02-04T19:30');
    await page.fill('#showtime-seats-1', '20');
    await page.locator('button[type="submit"]:has-text("Add movie")').dblclick();
    await page.locator('.outcome:has-text("Added")').waitFor();

    const listed = async () => {
      const found: Array<{ id: string; title: string; rating: number; showtimes: unknown[] }> = [];
      let cursor: string | undefined;
      do {
        const answer = await call('GET', `movies?limit=100${cursor ? `&cursor=${cursor}` : ''}`);
        found.push(...answer.body.items);
        cursor = answer.body.cursor;
      } while (cursor);
      return found.filter((m) => m.title === title);
    };
    const [created, ...others] = await listed();
    expect(others).toEqual([]);
    expect(created).toMatchObject({ rating: 8.5 });
    expect(created?.showtimes).toHaveLength(2);

    const row = await findOnPages(
      page,
      'section[aria-labelledby="admin-movies"]',
      'table[aria-label="Movies"] tbody tr',
      title,
      'Movie pages',
    );
    await row.getByRole('button', { name: `Edit ${title}` }).click();
    await page.fill('#showtime-start-0', '2031-02-05T19:30');
    await page.click('button[type="submit"]:has-text("Save movie")');
    await page.locator('.outcome:has-text("Saved")').waitFor();
    expect((await listed())[0]?.showtimes).toHaveLength(3);

    await row.getByRole('button', { name: `Delete ${title}`, exact: true }).click();
    await row.getByRole('button', { name: `Yes, delete ${title}` }).click();
    await row.waitFor({ state: 'detached' });
    expect(await listed()).toEqual([]);

    await page
      .locator('table[aria-label="Things"], section[aria-labelledby="admin-things"] [data-empty]')
      .first()
      .waitFor();
    await page
      .locator('table[aria-label="All bookings"], section[aria-labelledby="admin-bookings"] [data-empty]')
      .first()
      .waitFor();
    await page.locator('table[aria-label="Users"]').waitFor();
    await page.selectOption('#booking-status', 'cancelled');
    await page
      .locator('table[aria-label="All bookings"], section[aria-labelledby="admin-bookings"] [data-empty]')
      .first()
      .waitFor();
    await accessibleAtBothWidths(page, 'admin');
  });
});

describe('admin lists over the API', () => {
  it('lists things for admins only, a page at a time, each once', async () => {
    const user = await signUp('not-admin');
    expect((await call('GET', 'things', { as: user })).status).toBe(403);
    const names = [`A ${randomUUID()}`, `B ${randomUUID()}`];
    const ids: string[] = [];
    for (const name of names) {
      const added = await call('POST', 'things', {
        as: admin,
        body: {
          name,
          geometry: {
            type: 'Polygon',
            coordinates: [
              [
                [3, 3],
                [4, 3],
                [4, 4],
                [3, 4],
                [3, 3],
              ],
            ],
          },
        },
      });
      ids.push(added.body.id);
    }
    const seen: Array<{ id: string; name: string }> = [];
    let cursor: string | undefined;
    do {
      const page = await call('GET', `things?limit=2${cursor ? `&cursor=${cursor}` : ''}`, { as: admin });
      expect(page.status).toBe(200);
      expect(page.body.items.length).toBeLessThanOrEqual(2);
      seen.push(...page.body.items);
      cursor = page.body.cursor;
    } while (cursor);
    expect(
      seen
        .filter((t) => ids.includes(t.id))
        .map((t) => t.name)
        .sort(),
    ).toEqual([...names].sort());
    expect(new Set(seen.map((t) => t.id)).size).toBe(seen.length);
    expect((await call('DELETE', `things/${ids[0]}`, { as: admin })).status).toBe(204);
    expect(
      (await call('GET', 'things?limit=100', { as: admin })).body.items.map((t: { id: string }) => t.id),
    ).not.toContain(ids[0]);
  });

  it('finds movies by the start of their title, in any case', async () => {
    const movie = await newMovie();
    const other = await newMovie();
    const fragment = movie.title.slice(0, -2).toUpperCase();
    const found = await call('GET', `movies?limit=100&title=${encodeURIComponent(fragment)}`);
    expect(found.status).toBe(200);
    const ids = found.body.items.map((m: { id: string }) => m.id);
    expect(ids).toContain(movie.id);
    expect(ids).not.toContain(other.id);
  });

  it('adds showtimes to a movie and removes an unbooked one; a booked one is a 409, a missing one a 404', async () => {
    const movie = await newMovie(5);
    const [, future] = movie.showtimes;
    const user = await signUp('showtimes');
    const added = await call('POST', `movies/${movie.id}/showtimes`, {
      as: admin,
      body: { showtimes: [{ startsAt: '2031-07-01T20:00:00Z', seats: 3 }] },
    });
    expect(added.status, JSON.stringify(added.body)).toBe(200);
    expect(added.body.showtimes).toHaveLength(3);
    expect(
      (await call('POST', `movies/${movie.id}/showtimes`, { as: user, body: { showtimes: [] } })).status,
    ).toBe(403);
    const empty = await call('POST', `movies/${movie.id}/showtimes`, { as: admin, body: { showtimes: [] } });
    expect(empty.status).toBe(400);
    expect(empty.body.fields[0]).toMatchObject({ field: 'body.showtimes' });

    const booked = await call('POST', 'bookings', {
      as: user,
      body: { movieId: movie.id, showtimeId: future.id, seats: 1 },
    });
    expect(booked.status).toBe(201);
    expect((await call('DELETE', `movies/${movie.id}/showtimes/${future.id}`, { as: admin })).status).toBe(
      409,
    );
    const newest = added.body.showtimes.find((s: { startsAt: string }) =>
      s.startsAt.startsWith('2031-07-01'),
    );
    const removed = await call('DELETE', `movies/${movie.id}/showtimes/${newest.id}`, { as: admin });
    expect(removed.status).toBe(200);
    expect(removed.body.showtimes.map((s: { id: string }) => s.id)).not.toContain(newest.id);
    expect((await call('DELETE', `movies/${movie.id}/showtimes/${newest.id}`, { as: admin })).status).toBe(
      404,
    );
  });
});
