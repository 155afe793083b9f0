import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Browser, Page } from 'playwright-core';
import { expect } from 'vitest';
import { PASSWORD } from '../support/people.js';

const AXE = createRequire(import.meta.url).resolve('axe-core/axe.min.js');

/** Debian's headless Chromium (or CHROMIUM_PATH), driven through playwright-core. */
export async function launchChromium(): Promise<Browser> {
  const { chromium } = await import('playwright-core');
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

/** No serious or critical axe-core violations on the page as it is now. */
export async function expectAccessible(page: Page, what: string): Promise<void> {
  // Evaluated by the test driver, not added as an inline script, which the page's CSP refuses.
  await page.evaluate(`${readFileSync(AXE, 'utf8')};undefined`);
  const violations = await page.evaluate(async () => {
    const result = await (window as any).axe.run(document, { resultTypes: ['violations'] });
    return (result.violations as Array<{ id: string; impact: string; nodes: Array<{ target: string[] }> }>)
      .filter((v) => v.impact === 'serious' || v.impact === 'critical')
      .map((v) => `${v.id} (${v.impact}): ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
  });
  expect(violations, what).toEqual([]);
}

/** Fills the console's login form (already shown) and waits until the person is signed in. */
export async function submitLogin(page: Page, person: { email: string }): Promise<void> {
  await page.fill('#email', person.email);
  await page.fill('#password', PASSWORD);
  await page.click('button[type="submit"]');
  await page.waitForSelector(`.who:has-text("${person.email}")`);
}

/** Logs a person in through the login form of the console at `consoleUrl`. */
export async function logInAt(page: Page, consoleUrl: string, person: { email: string }): Promise<void> {
  await page.goto(`${consoleUrl}#/login`);
  await submitLogin(page, person);
}

/** Calls `blocked` with each message of the page's console saying its Content-Security-Policy blocked something. */
export function onCspBlock(page: Page, blocked: (message: string) => void): void {
  page.on('console', (message) => {
    if (message.text().includes('Content Security Policy')) blocked(message.text());
  });
}
