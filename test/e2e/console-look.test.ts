import { randomUUID } from 'node:crypto';
import * as path from 'node:path';
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { box } from '../support/geo.js';
import { chromiumForTests, expectAccessible, logInAt, SHOTS, untilShown } from './browser.js';
import { clickNav } from './console-nav.js';
import { CONSOLE } from './console-page.js';
import { call, type Person, signUpAdmin } from './people.js';

/** Every page of the console, as an admin sees them (tasks last: logging in lands there). */
const PAGES = ['movies', 'search', 'downcase', 'status', 'admin', 'tasks'] as const;
const WIDTHS = [
  { width: 1280, height: 900, label: 'desktop' },
  { width: 375, height: 812, label: '375' },
] as const;

const openPage = chromiumForTests();
const newPage = (width: number, height: number): Promise<Page> => openPage({ width, height });

let admin: Person;
beforeAll(async () => {
  admin = await signUpAdmin('looker');
});

const logIn = (page: Page, person: Person) => logInAt(page, CONSOLE, person);

/**
 * A full-page screenshot once the page has loaded what it shows: a hash
 * change is no new load, so `networkidle` alone would not wait for it.
 */
async function shoot(page: Page, name: string): Promise<void> {
  await page.waitForLoadState('networkidle');
  await page.waitForFunction(
    () =>
      !document.querySelector('main [aria-busy="true"], main .skeleton') &&
      !/Loading|Checking/.test(document.querySelector('main')?.textContent ?? ''),
    undefined,
  );
  // The whole page, unless it runs to many screens (the Status page's dashboard on a phone).
  const screens = await page.evaluate(() => document.documentElement.scrollHeight / window.innerHeight);
  await page.screenshot({ path: path.join(SHOTS, `${name}.png`), fullPage: screens <= 4 });
}

/**
 * Three things whose edges fall between the grid's points: a box 340° wide,
 * a polygon with a hole, and a multipolygon with a holed part and two parts
 * that overlap.
 */
const SHAPES = {
  wide: { type: 'Polygon', coordinates: [box(-170, -60, 170, 60)] },
  holed: { type: 'Polygon', coordinates: [box(-40, -30, 40, 40), box(-20, -10, 20, 20)] },
  multi: {
    type: 'MultiPolygon',
    coordinates: [
      [box(-150, -50, -100, -10), box(-140, -40, -105, -20)],
      [box(100, 10, 150, 50)],
      [box(130, 30, 165, 55)],
    ],
  },
} as const;
/**
 * Longitudes -176, -144, ..., 176 and latitudes -63, -49, ..., 63: none on an
 * edge of the shapes, some outside them all, some in each hole, in the wide
 * box alone, and where the multipolygon's parts overlap.
 */
const GRID = Array.from({ length: 12 }, (_, i) => -176 + 32 * i).flatMap((lng) =>
  Array.from({ length: 10 }, (_, j) => ({ lng, lat: -63 + 14 * j })),
);

/**
 * Where the map draws each point, in px from the map's top left corner. The
 * map's `data-view` is the part of the world it shows: its left and top
 * edges, in degrees east of 180°W and south of 90°N, and its width in degrees.
 */
async function onMap(page: Page, points: Array<{ lng: number; lat: number }>) {
  const map = page.locator('svg.world');
  const [view, shown] = await Promise.all([map.getAttribute('data-view'), map.boundingBox()]);
  const [left, top, width] = (view ?? '').split(' ').map(Number) as [number, number, number];
  const perDegree = (shown?.width ?? 0) / width;
  return points.map(({ lng, lat }) => ({
    x: (lng + 180 - left) * perDegree,
    y: (90 - lat - top) * perDegree,
  }));
}

/** The things (of `ours`) drawn under each point: every element there, not only the topmost. */
async function drawnAt(
  page: Page,
  points: Array<{ lng: number; lat: number }>,
  ours: string[],
): Promise<string[][]> {
  return page.evaluate(
    ({ spots, ours }) => {
      const rect = (document.querySelector('svg.world') as SVGSVGElement).getBoundingClientRect();
      return spots.map(({ x, y }) => {
        const ids = document
          .elementsFromPoint(rect.left + x, rect.top + y)
          .map((element) => element.closest('[data-thing-id]')?.getAttribute('data-thing-id'))
          .filter((id): id is string => id !== undefined && id !== null && ours.includes(id));
        return [...new Set(ids)].sort();
      });
    },
    { spots: await onMap(page, points), ours },
  );
}

/**
 * The things (of `ours`) search finds at each point, asked of the API eight at
 * a time: more would start more cold copies of the search function than it saves.
 */
async function searchedAt(points: Array<{ lng: number; lat: number }>, ours: string[]): Promise<string[][]> {
  const found: string[][] = [];
  for (let i = 0; i < points.length; i += 8) {
    const answers = await Promise.all(
      points.slice(i, i + 8).map(async ({ lng, lat }) => {
        const answer = await call('GET', `search?lat=${lat}&lng=${lng}&per_page=100`);
        expect(answer.status).toBe(200);
        return (answer.body.results as Array<{ id: string }>)
          .map((r) => r.id)
          .filter((id) => ours.includes(id))
          .sort();
      }),
    );
    found.push(...answers);
  }
  return found;
}

describe('the search map', () => {
  it('draws a wide box, a polygon with a hole and a multipolygon over exactly the grid points search finds in them; rows and shapes highlight each other, and an admin deletes one', async () => {
    const tag = `Grid-${randomUUID().slice(0, 8)}`;
    const ids: Record<string, string> = {};
    for (const [key, geometry] of Object.entries(SHAPES)) {
      const added = await call('POST', 'things', { body: { name: `${tag} ${key}`, geometry }, as: admin });
      expect(added.status, JSON.stringify(added.body)).toBe(201);
      ids[key] = added.body.id as string;
    }
    const ours = Object.values(ids);

    const page = await newPage(1280, 900);
    await logIn(page, admin);
    await page.goto(`${CONSOLE}#/search`);
    await page.fill('#thing-name', tag);
    await page.click('form.inline button[type="submit"]');
    await untilShown(() => page.locator('svg.world g.thing-group').count()).toBe(3);
    expect(await page.locator('table.results tbody tr').count()).toBe(3);
    await page.locator('svg.world').scrollIntoViewIfNeeded();

    const [drawn, searched] = await Promise.all([drawnAt(page, GRID, ours), searchedAt(GRID, ours)]);
    const mismatches = GRID.flatMap((point, i) =>
      JSON.stringify(drawn[i]) === JSON.stringify(searched[i])
        ? []
        : [`(${point.lat}, ${point.lng}) drawn ${drawn[i]} searched ${searched[i]}`],
    );
    expect(mismatches).toEqual([]);
    // Not trivially equal: each thing is found somewhere, and the holes are empty of their own thing.
    for (const id of ours) expect(searched.some((found) => found.includes(id))).toBe(true);
    const at = (lng: number, lat: number) => GRID.findIndex((p) => p.lng === lng && p.lat === lat);
    expect(searched[at(16, 7)]).toEqual([ids.wide]);
    expect(searched[at(-112, -35)]).toEqual([ids.wide]);
    expect(searched[at(-144, -35)]).toEqual([ids.multi, ids.wide].sort());
    expect(drawn[GRID.findIndex((p) => p.lng === -176)]).toEqual([]);

    // A row highlights its shape; a shape clicked selects its row.
    const holedRow = page.locator(`table.results tr[data-thing-id="${ids.holed}"]`);
    const holedShape = page.locator(`svg.world g[data-thing-id="${ids.holed}"]`);
    await holedRow.hover();
    await untilShown(() => holedShape.getAttribute('class')).toContain('hovered');
    await holedRow.getByRole('button', { name: /^Show/ }).click();
    await untilShown(() => holedShape.getAttribute('class')).toContain('selected');
    await untilShown(() => holedRow.getAttribute('class')).toContain('selected');
    // Show also zooms the map to the thing: 70° tall, so 182° of a 2:1 map with the margin.
    const widthShown = async () => Number((await page.getAttribute('svg.world', 'data-view'))?.split(' ')[2]);
    await untilShown(widthShown).toBeCloseTo(182, 6);
    // Pointing at a shape highlights its row.
    const holedBox = await holedShape.boundingBox();
    if (!holedBox) throw new Error('the holed shape has no box');
    await page.mouse.move(holedBox.x + holedBox.width / 2, holedBox.y + 4);
    await untilShown(() => holedRow.getAttribute('class')).toContain('hovered');
    await page.getByRole('button', { name: 'Fit to results' }).click();
    await untilShown(widthShown).toBe(360);

    // Inside the multipolygon's overlapping parts (144°E, 40°N).
    const [spot] = await onMap(page, [{ lng: 144, lat: 40 }]);
    await page.locator('svg.world').click({ position: spot });
    const multiRow = page.locator(`table.results tr[data-thing-id="${ids.multi}"]`);
    await untilShown(() => multiRow.getAttribute('class')).toContain('selected');
    expect(await holedRow.getAttribute('class')).not.toContain('selected');

    await shoot(page, 'search-results-desktop');

    // Zoom in with a button, then fit back to the results.
    const viewOf = () => page.getAttribute('svg.world', 'data-view');
    const fitted = await viewOf();
    await page.getByRole('button', { name: 'Zoom in' }).click();
    await untilShown(viewOf).not.toBe(fitted);
    await page.getByRole('button', { name: 'Fit to results' }).click();
    await untilShown(viewOf).toBe(fitted);
    // The keyboard: + zooms, an arrow pans, F fits again.
    await page.focus('svg.world');
    await page.keyboard.press('+');
    const zoomed = await viewOf();
    expect(zoomed).not.toBe(fitted);
    await page.keyboard.press('ArrowRight');
    await untilShown(viewOf).not.toBe(zoomed);
    // A drag pans (and searches nothing: the table stays as it was).
    const dragged = await viewOf();
    const map = await page.locator('svg.world').boundingBox();
    if (!map) throw new Error('the map has no box');
    await page.mouse.move(map.x + map.width / 2, map.y + map.height / 2);
    await page.mouse.down();
    await page.mouse.move(map.x + map.width / 2 - 120, map.y + map.height / 2 - 40, { steps: 4 });
    await page.mouse.up();
    await untilShown(viewOf).not.toBe(dragged);
    expect(await page.inputValue('#lat')).toBe('');
    await page.keyboard.press('f');
    await untilShown(viewOf).toBe(fitted);
    // The wheel zooms about the pointer.
    await page.mouse.move(map.x + map.width / 4, map.y + map.height / 2);
    await page.mouse.wheel(0, -300);
    await untilShown(viewOf).not.toBe(fitted);
    await page.getByRole('button', { name: 'Fit to results' }).click();
    await untilShown(viewOf).toBe(fitted);

    // An admin deletes a thing from its row, once confirmed: gone from the table, the map and search.
    page.once('dialog', (dialog) => void dialog.accept());
    await page
      .locator(`table.results tr[data-thing-id="${ids.wide}"]`)
      .getByRole('button', { name: /^Delete/ })
      .click();
    await untilShown(() => page.locator('table.results tbody tr').count()).toBe(2);
    expect(await page.locator('svg.world g.thing-group').count()).toBe(2); // they change together
    expect((await call('GET', `things/${ids.wide}/geometry`)).status).toBe(404);
  });
});

describe('the console on a desktop and on a phone', () => {
  it('passes axe on every page at 1280x900 and 375x812, moves focus to each heading, folds the pages behind Menu and the feed into a drawer on a phone', async () => {
    for (const { width, height, label } of WIDTHS) {
      const page = await newPage(width, height);
      for (const route of ['login', 'signup']) {
        await page.goto(`${CONSOLE}#/${route}`);
        await page.waitForSelector('main h1');
        await expectAccessible(page, `${route} at ${label}`);
        await shoot(page, `${route}-${label}`);
      }
      expect(await page.locator('#password-hint li').count()).toBeGreaterThan(3);

      await logIn(page, admin);
      // Logging in lands on the tasks page with focus on its heading.
      await untilShown(() => page.evaluate(() => document.activeElement?.textContent)).toBe('Tasks');
      if (label === '375') {
        const menu = page.locator('button.menu-button');
        await menu.click();
        expect(await menu.getAttribute('aria-expanded')).toBe('true');
        await page.locator('#site-nav').waitFor({ state: 'visible' });
        await expectAccessible(page, 'the open menu at 375');
        await shoot(page, 'menu-375');
        await menu.click();
        await page.locator('#site-nav').waitFor({ state: 'hidden' });
      }
      for (const route of PAGES) {
        if (label === '375') expect(await page.locator('#site-nav').isVisible()).toBe(false);
        await clickNav(page, route);
        await untilShown(() =>
          page.evaluate(() => document.activeElement?.tagName + (document.activeElement?.id ?? '')),
        ).toMatch(/^H1/);
        if (label === '375') expect(await page.locator('#site-nav').isVisible()).toBe(false);
        const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
        expect(overflow, `${route} scrolls sideways by ${overflow} px`).toBeLessThanOrEqual(0);
        await expectAccessible(page, `${route} at ${label}`);
        await shoot(page, `${route}-${label}`);
      }

      const feed = page.locator('aside.live');
      if (label === '375') {
        expect(await feed.isVisible()).toBe(false);
        await page.click('button.feed-button');
        await feed.waitFor({ state: 'visible' });
        // Slid in all the way: its right edge at the screen's.
        await untilShown(async () => {
          const drawer = await feed.boundingBox();
          return drawer ? Math.round(drawer.x + drawer.width) : undefined;
        }).toBe(width);
        await expectAccessible(page, 'feed drawer at 375');
        await shoot(page, 'feed-drawer-375');
        await page.keyboard.press('Escape');
        await feed.waitFor({ state: 'hidden' });
      } else {
        expect(await feed.isVisible()).toBe(true);
      }
      await page.context().close();
    }
  });

  it('pauses the feed, counting what it holds, and shows each message as a line that opens to its JSON', async () => {
    const page = await newPage(1280, 900);
    await logIn(page, admin);
    await page.goto(`${CONSOLE}#/downcase`);
    await page.waitForSelector('.link.live');
    await page.getByRole('button', { name: 'Pause' }).click();
    const text = `PaUsEd-${randomUUID().slice(0, 6)}`;
    const downcased = await call('GET', `downcase?param=${text}`);
    expect(downcased.status).toBe(200);
    await untilShown(() => page.textContent('#held-count')).not.toBe('0');
    expect(await page.locator(`ol.feed li:has-text("${text}")`).count()).toBe(0);

    await page.getByRole('button', { name: 'Resume' }).click();
    const row = page.locator('ol.feed li[data-type="downcase.response"]', { hasText: text });
    await row.waitFor();
    expect(await row.locator('pre').isVisible()).toBe(false);
    await row.locator('summary').click();
    await row.locator('pre').waitFor();
    await shoot(page, 'feed-opened-desktop');
    expect(JSON.parse((await row.locator('pre').textContent()) ?? '{}')).toMatchObject({
      service: 'downcase',
      type: 'downcase.response',
    });
  });
});
