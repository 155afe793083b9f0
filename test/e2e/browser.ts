import { mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, Page, Request } from 'playwright-core';
import { afterAll, beforeAll, expect, onTestFailed, onTestFinished } from 'vitest';
import { PASSWORD } from '../support/people.js';

declare module 'vitest' {
  interface TaskMeta {
    /** What a failed test saw, beside its error: printed with the failure at the end of a run. */
    diagnosis?: string[];
  }
}

const AXE = createRequire(import.meta.url).resolve('axe-core/axe.min.js');

/** Where the browser tests leave their screenshots (made when a Chromium starts for them). */
export const SHOTS = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  '..',
  '..',
  'test-output',
  'console',
);

/** Debian's headless Chromium (or CHROMIUM_PATH), driven through playwright-core. */
async function launchChromium(): Promise<Browser> {
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

/**
 * How long a browser test waits for the page to show something. What it waits
 * for is mostly an API answer, and API Gateway gives a request up to 29 s: a
 * slow answer on a busy machine is waited for, and a lost one shows as the
 * page's own error before this runs out.
 */
export const PAGE_TIMEOUT_MS = 30_000;

/** Polls what the page shows until it matches, as long as the page's own waits: most of it follows an API answer. */
export const untilShown = <T>(read: () => Promise<T> | T) => expect.poll(read, { timeout: PAGE_TIMEOUT_MS });

/** What the page shows of an outcome or a problem: the text a failed test prints. */
const SHOWN = '.outcome, [role="alert"], .field-error';

/** A page's viewport, 1280 x 900 unless given. */
export interface PageSize {
  width?: number;
  height?: number;
}

/**
 * A page of its own (a fresh context: no cookies or storage of another page)
 * at `width` x `height`, opened in a test. That test also checks that the
 * page ran under its Content-Security-Policy with nothing blocked. If the test
 * fails, it prints where the page was, what it showed of outcomes and
 * problems, and the requests that failed or were refused, so a failure on CI
 * says what the page saw.
 */
async function openPage(browser: Browser, { width = 1280, height = 900 }: PageSize = {}): Promise<Page> {
  const context = await browser.newContext({ viewport: { width, height } });
  const page = await context.newPage();
  page.setDefaultTimeout(PAGE_TIMEOUT_MS);
  const blocked: string[] = [];
  page.on('console', (message) => {
    if (message.text().includes('Content Security Policy')) blocked.push(message.text());
  });
  onTestFinished(() => {
    expect(blocked, `what the Content-Security-Policy of the page at ${page.url()} blocked`).toEqual([]);
  });
  const refused: string[] = [];
  const pending = new Map<Request, number>();
  page.on('request', (request) => pending.set(request, Date.now()));
  page.on('requestfinished', (request) => pending.delete(request));
  page.on('requestfailed', (request) => {
    pending.delete(request);
    refused.push(`failed (${request.failure()?.errorText}) ${request.method()} ${request.url()}`);
  });
  page.on('response', (response) => {
    if (response.status() >= 400)
      refused.push(`${response.status()} ${response.request().method()} ${response.url()}`);
  });
  onTestFailed(async ({ task }) => {
    const shown = page.isClosed()
      ? ['(the page was closed)']
      : await page
          .locator(SHOWN)
          .allInnerTexts()
          .catch((error: Error) => [`(could not read it: ${error.message})`]);
    const waiting = [...pending].map(
      ([request, since]) => `${request.method()} ${request.url()} for ${Date.now() - since} ms`,
    );
    const lines = [
      `the page at ${page.url()} (${width} px) showed: ${JSON.stringify(shown)}`,
      `requests that failed or were refused: ${refused.join('; ') || 'none'}`,
      `requests still unanswered: ${waiting.join('; ') || 'none'}`,
    ];
    // In the JSON report too, whose failures the test runner prints at the end (test/run-suites.mjs).
    task.meta.diagnosis = [...(task.meta.diagnosis ?? []), ...lines];
    console.error(lines.map((line) => `[browser] ${line}`).join('\n'));
  });
  return page;
}

/**
 * One Chromium for the tests of the file or `describe` block that calls this:
 * started before them, closed after them. Returns what opens a page in it
 * ({@link openPage}).
 */
export function chromiumForTests(): (size?: PageSize) => Promise<Page> {
  let browser: Browser | undefined;
  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true });
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
  });
  return (size) => {
    if (!browser) throw new Error('Chromium has not started: open pages in tests');
    return openPage(browser, size);
  };
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
