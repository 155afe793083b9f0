import type { Page } from 'playwright-core';
import { deployment } from './support.js';

/** The console's URL on the test stack. */
export const CONSOLE = new URL('console', deployment.apiBaseUrl).toString();

/**
 * The row of `container` (a section) that shows `text`, paging with the
 * pager labelled `pager` through Older until it does.
 */
export async function findOnPages(page: Page, container: string, rows: string, text: string, pager: string) {
  const section = page.locator(container);
  const row = section.locator(rows, { hasText: text });
  const nav = page.locator(`nav[aria-label="${pager}"]`);
  // Rows or the empty state shown, and no read or change of the list still running (an add is
  // followed by a quiet read of the page: a row checked for before it lands is missed).
  const settled = async () => {
    await section.locator(`${rows}, [data-empty]`).first().waitFor();
    await page.locator(`nav[aria-label="${pager}"][aria-busy="false"]`).waitFor();
  };
  await settled();
  for (let shown = 1; (await row.count()) === 0; shown++) {
    await nav.locator('button:has-text("Older")').click();
    await nav.locator(`span:has-text("Page ${shown + 1}")`).waitFor();
    await settled();
  }
  return row;
}

/**
 * The movie titled `title` on the Movies page, found with its search box (a
 * filtered page reads up to 1,000 movies: more than a test stack holds).
 */
export async function findMovie(page: Page, title: string) {
  await page.fill('#movie-search', title);
  await page.click('form[role="search"] button:has-text("Find")');
  const movie = page.locator('section[aria-labelledby="movies-list"] ul.movies > li', { hasText: title });
  await movie.waitFor();
  return movie;
}
