import { randomUUID } from 'node:crypto';
import * as path from 'node:path';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { chromiumForTests, expectAccessible, logInAt, SHOTS, untilShown } from './browser.js';
import { CONSOLE, findMovie } from './console-page.js';
import { call, PASSWORD, type Person, signUp, signUpAdmin } from './people.js';
import { api } from './support.js';

// Every test also checks that the console runs under its CSP: nothing it does is blocked (openPage).
const openPage = chromiumForTests();
const newPage = (width = 1280): Promise<Page> => openPage({ width });

/** Logs a person in through the console's form. */
const logInThroughForm = (page: Page, person: { email: string }) => logInAt(page, CONSOLE, person);

/** A full-page screenshot once the page's API calls are answered. */
async function shoot(page: Page, name: string): Promise<void> {
  await page.waitForLoadState('networkidle');
  await page.screenshot({ path: path.join(SHOTS, `${name}.png`), fullPage: true });
}

async function liveReady(page: Page): Promise<void> {
  await page.waitForSelector('.link.live');
}

describe('GET /console', () => {
  it('sends a strict CSP, no framing, nosniff, no referrer and HSTS with the page and its files', async () => {
    for (const url of [CONSOLE, `${CONSOLE}/app.js`, `${CONSOLE}/app.css`]) {
      const response = await fetch(url);
      expect(response.status, url).toBe(200);
      const policy = response.headers.get('content-security-policy') ?? '';
      expect(policy, url).toContain("script-src 'self'");
      expect(policy, url).toContain("style-src 'self'");
      expect(policy, url).toContain("frame-ancestors 'none'");
      expect(policy, url).not.toMatch(/unsafe-inline|unsafe-eval/);
      expect(response.headers.get('x-frame-options'), url).toBe('DENY');
      expect(response.headers.get('x-content-type-options'), url).toBe('nosniff');
      expect(response.headers.get('referrer-policy'), url).toBe('no-referrer');
      expect(response.headers.get('strict-transport-security'), url).toMatch(/^max-age=\d+/);
    }
    const html = await (await fetch(CONSOLE)).text();
    expect(html).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);
  });
});

describe('web console in a browser', () => {
  it('signs up with field errors next to the fields, then keeps the session across a reload and logs out', async () => {
    const page = await newPage();
    await page.goto(`${CONSOLE}#/signup`);
    await expectAccessible(page, 'sign-up page');
    await shoot(page, 'signup-desktop');

    await page.fill('#email', 'not-an-email');
    await page.fill('#password', PASSWORD);
    await page.click('button[type="submit"]');
    await untilShown(() => page.textContent('#email-error')).toContain('valid email');
    expect(await page.getAttribute('#email', 'aria-describedby')).toBe('email-error');

    const email = `web-${randomUUID().slice(0, 8)}@example.com`;
    await page.fill('#email', email);
    await page.fill('#password', 'weakpassword');
    await page.click('button[type="submit"]');
    await untilShown(() => page.textContent('#password-error')).toMatch(/must contain an uppercase letter/i);

    await page.fill('#password', PASSWORD);
    await page.fill('#name', 'Web Person');
    await page.click('button[type="submit"]');
    await page.waitForSelector(`.who:has-text("${email}")`);
    await page.waitForSelector('.who:has-text("Web Person")');
    await page.waitForSelector('h1:has-text("Tasks")');

    await page.reload();
    await page.waitForSelector(`.who:has-text("${email}")`);
    await page.waitForSelector('h1:has-text("Tasks")');

    await page.click('button:has-text("Log out")');
    await page.waitForSelector('h1:has-text("Log in")');
    await page.reload();
    await page.waitForSelector('h1:has-text("Log in")');
    await logInThroughForm(page, { email });
  });

  it('keeps no refresh token where scripts can read it: an HttpOnly cookie refreshes the session, and log out revokes it', async () => {
    const person = await signUp('cookie-web');
    const page = await newPage();
    await logInThroughForm(page, person);
    const cookieNamed = async () => (await page.context().cookies()).find((c) => c.name === 'refresh_token');
    const cookie = await cookieNamed();
    expect(cookie).toMatchObject({ httpOnly: true, secure: true, sameSite: 'Strict' });
    expect(cookie?.path).toMatch(/\/auth$/);
    const refreshToken = cookie?.value.slice(cookie.value.indexOf(':') + 1) ?? '';
    expect(refreshToken.length).toBeGreaterThan(20);
    const storage = () =>
      page.evaluate(() => JSON.stringify({ local: { ...localStorage }, session: { ...sessionStorage } }));
    expect(await storage()).not.toContain(refreshToken);
    expect(await storage()).not.toContain('refreshToken');
    expect(await page.evaluate(() => document.cookie)).not.toContain('refresh_token');

    // An access token past its time: the reloaded console refreshes it from the cookie.
    const expiresAtOf = () =>
      page.evaluate(() => JSON.parse(localStorage.getItem('console.session') ?? '{}').expiresAt as number);
    await page.evaluate(() => {
      const session = JSON.parse(localStorage.getItem('console.session') ?? '{}');
      localStorage.setItem('console.session', JSON.stringify({ ...session, expiresAt: 0 }));
    });
    await page.reload();
    await untilShown(expiresAtOf).toBeGreaterThan(Date.now());
    await page.waitForSelector(`.who:has-text("${person.email}")`);
    expect(await storage()).not.toContain(refreshToken);

    await page.click('button:has-text("Log out")');
    await page.waitForSelector('h1:has-text("Log in")');
    await untilShown(cookieNamed).toBeUndefined();
    const revoked = await api('auth/refresh', {
      method: 'POST',
      headers: { cookie: `refresh_token=${cookie?.value}` },
    });
    expect(revoked.status).toBe(401);
  });

  it('adds, renames, marks done and deletes a task; the list survives a reload', async () => {
    const person = await signUp('tasker');
    const page = await newPage();
    await logInThroughForm(page, person);
    await page.fill('#new-task', 'buy milk');
    await page.click('form.inline button[type="submit"]');
    const task = page.locator('ul.tasks li', { hasText: 'buy milk' });
    await task.waitFor();

    await task.getByRole('button', { name: 'Rename buy milk' }).click();
    await page.locator('ul.tasks input[id^="rename-"]').fill('buy oat milk');
    const renameSaved = page.waitForResponse((r) => r.request().method() === 'PATCH');
    await page.click('ul.tasks button:has-text("Save")');
    const renamed = page.locator('ul.tasks li', { hasText: 'buy oat milk' });
    await renamed.waitFor();
    expect((await renameSaved).status()).toBe(200);

    // The change shows at once (optimistically); the reload below must wait for the API to take it.
    const saved = page.waitForResponse(
      (r) => r.request().method() === 'PATCH' && r.url().includes('/tasks/'),
    );
    await renamed.locator('input[type="checkbox"]').check();
    await untilShown(() => renamed.getAttribute('class')).toContain('done');
    expect((await saved).status()).toBe(200);
    await expectAccessible(page, 'tasks page');

    await page.reload();
    const reloaded = page.locator('ul.tasks li', { hasText: 'buy oat milk' });
    await reloaded.waitFor();
    expect(await reloaded.getAttribute('class')).toContain('done');
    expect(await reloaded.locator('input[type="checkbox"]').isChecked()).toBe(true);

    const deleted = page.waitForResponse((r) => r.request().method() === 'DELETE');
    await reloaded.getByRole('button', { name: 'Delete buy oat milk' }).click();
    await reloaded.getByRole('button', { name: 'Yes, delete buy oat milk' }).click();
    await reloaded.waitFor({ state: 'detached' });
    expect((await deleted).status()).toBe(204);
    const left = await api<{ tasks: unknown[] }>('tasks', {
      headers: { authorization: `Bearer ${person.accessToken}` },
    });
    expect(left.body.tasks).toEqual([]);
  });

  it('shows the downcase answer and its log-feed message in the live panel within 2 s', async () => {
    const person = await signUp('caser');
    const page = await newPage();
    await logInThroughForm(page, person);
    await page.goto(`${CONSOLE}#/downcase`);
    await liveReady(page);
    const text = `HeLLo-${randomUUID().slice(0, 6)}`;
    await page.fill('#downcase-text', text);
    const started = Date.now();
    await page.click('form.inline button[type="submit"]');
    await page.waitForSelector(`#downcase-answer:has-text("${text.toLowerCase()}")`);
    await page.waitForSelector(`ol.feed li[data-type="downcase.response"]:has-text("${text}")`, {
      timeout: 2_000,
    });
    expect(Date.now() - started).toBeLessThan(2_000);
    await expectAccessible(page, 'downcase page with the live panel');
    await shoot(page, 'downcase-desktop');
  });

  it('searches by a click on the map, listing and drawing the thing there', async () => {
    const name = `Lake-${randomUUID().slice(0, 8)}`;
    const square = [
      [20, 10],
      [24, 10],
      [24, 14],
      [20, 14],
      [20, 10],
    ];
    const added = await call('POST', 'things', {
      body: { name, geometry: { type: 'Polygon', coordinates: [square] } },
      as: await signUpAdmin('mapper'),
    });
    expect(added.status).toBe(201);
    const person = await signUp('finder');
    const page = await newPage();
    await logInThroughForm(page, person);
    await page.goto(`${CONSOLE}#/search`);
    const map = page.locator('svg.world');
    const box = await map.boundingBox();
    if (!box) throw new Error('the map has no box');
    // The map is equirectangular over its whole box: x = longitude, y = -latitude.
    await map.click({ position: { x: ((22 + 180) / 360) * box.width, y: ((90 - 12) / 180) * box.height } });
    await page.waitForSelector(`table.results tr:has-text("${name}")`);
    await page.waitForSelector(`svg.world path.thing[data-thing="${name}"]`);
    expect(Number(await page.inputValue('#lat'))).toBeCloseTo(12, 0);
    expect(Number(await page.inputValue('#lng'))).toBeCloseTo(22, 0);
    await expectAccessible(page, 'search page');
    await shoot(page, 'search-desktop');
  });

  it('books two seats and sees the count drop, then cancels and sees it rise', async () => {
    const admin = await signUpAdmin('curator');
    const created = await call('POST', 'movies', {
      body: {
        title: `Film ${randomUUID().slice(0, 6)}`,
        rating: 8,
        showtimes: [{ startsAt: '2031-01-01T20:00:00Z', seats: 10 }],
      },
      as: admin,
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const title = created.body.title as string;
    const person = await signUp('viewer');
    const page = await newPage();
    await logInThroughForm(page, person);
    await page.goto(`${CONSOLE}#/movies`);
    const movie = await findMovie(page, title);
    const available = movie.locator('[data-available]');
    await untilShown(() => available.textContent()).toBe('10');
    await movie.locator('input.seats-input').fill('2');
    await movie.getByRole('button', { name: /^Book seats/ }).click();
    // The outcome shows beside the button once the API has answered; the list is read again after it.
    await movie.locator('.outcome:has-text("Booked 2 seats")').waitFor();
    await untilShown(() => available.textContent()).toBe('8');
    const booking = page.locator('table.bookings tbody tr', { hasText: title });
    await booking.waitFor();
    await booking.locator('[data-status="confirmed"]').waitFor();
    await expectAccessible(page, 'movies page');
    await shoot(page, 'movies-desktop');
    await booking.getByRole('button', { name: /^Cancel booking/ }).click();
    await booking.getByRole('button', { name: /^Yes, cancel the booking/ }).click();
    await booking.waitFor({ state: 'detached' });
    await untilShown(() => available.textContent()).toBe('10');
  });

  it('shows admin pages to admins only; an admin adds a movie there', async () => {
    const [user, admin] = await Promise.all([signUp('plain'), signUpAdmin('chief')]);
    const userPage = await newPage();
    await logInThroughForm(userPage, user);
    expect(await userPage.locator('nav a[href="#/admin"]').count()).toBe(0);
    await userPage.goto(`${CONSOLE}#/admin`);
    await userPage.waitForSelector('h1:has-text("Not here")');

    const page = await newPage();
    await logInThroughForm(page, admin);
    await page.click('nav a[href="#/admin"]');
    await page.waitForSelector('h1:has-text("Admin")');
    const title = `Admin film ${randomUUID().slice(0, 6)}`;
    await page.fill('#movie-title', title);
    await page.fill('#showtime-start-0', '2031-02-03T19:30');
    await page.fill('#showtime-seats-0', '30');
    await page.click('button:has-text("Add movie")');
    await page.waitForSelector('.outcome:has-text("Added")');

    const place = `Field ${randomUUID().slice(0, 6)}`;
    const ring = [
      [5, 5],
      [6, 5],
      [6, 6],
      [5, 6],
    ];
    const collection = {
      type: 'FeatureCollection',
      features: [
        {
          type: 'Feature',
          properties: { name: place },
          geometry: { type: 'Polygon', coordinates: [[...ring, [5, 5]]] },
        },
        {
          type: 'Feature',
          properties: { name: 'Open ring' },
          geometry: { type: 'Polygon', coordinates: [ring] },
        },
      ],
    };
    await page.setInputFiles('#things-file', {
      name: 'places.geojson',
      mimeType: 'application/geo+json',
      buffer: Buffer.from(JSON.stringify(collection)),
    });
    await page.waitForSelector(`ul[aria-label="Uploaded things"] li.added:has-text("${place}")`);
    const rejected = page.locator('ul[aria-label="Uploaded things"] li.rejected', { hasText: 'Open ring' });
    await untilShown(() => rejected.textContent()).toMatch(/rejected\. Geometry/);
    expect(await rejected.textContent()).not.toContain('body.');
    await expectAccessible(page, 'admin page');
    await shoot(page, 'admin-desktop');
  });

  it('can be used with the keyboard alone: log in and add a task', async () => {
    const person: Person = await signUp('keys');
    const page = await newPage();
    await page.goto(`${CONSOLE}#/login`);
    await page.focus('#email');
    await page.keyboard.type(person.email);
    await page.keyboard.press('Tab');
    await page.keyboard.type(PASSWORD);
    await page.keyboard.press('Enter');
    await page.waitForSelector(`.who:has-text("${person.email}")`);
    await page.waitForSelector('#new-task:enabled'); // disabled while the list loads
    await page.focus('#new-task');
    await page.keyboard.type('typed task');
    await page.keyboard.press('Enter');
    await page.waitForSelector('ul.tasks li:has-text("typed task")');
  });
});
