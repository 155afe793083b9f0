import type { Page } from 'playwright-core';

/**
 * Goes to one of the console's pages through its nav, as a person would: on a
 * phone (below 760 px) the pages are behind the Menu button, which is opened
 * first. Resolves once the new page's heading is shown.
 */
export async function clickNav(page: Page, route: string): Promise<void> {
  const menu = page.locator('button.menu-button');
  if ((await menu.isVisible()) && (await menu.getAttribute('aria-expanded')) !== 'true') await menu.click();
  await page.click(`nav a[href="#/${route}"]`);
  await page.waitForFunction((hash) => location.hash === hash, `#/${route}`);
  await page.waitForSelector('main h1');
}
