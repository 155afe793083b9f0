import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import * as path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { PENDING_GRACE_SECONDS } from '../../functions/bookings/timing.js';
import { moviesService } from '../../functions/movies/service.js';
import { formatTraceparent, newSpanId, newTraceId } from '../../functions/shared/trace/context.js';
import type { FoundTrace } from '../../functions/shared/trace/search.js';
import type { Waterfall, WaterfallRow } from '../../functions/shared/trace/waterfall.js';
import { STACK_NAME } from '../../lib/stack-outputs.js';
import { queueConsumer } from '../support/queues.js';
import { chromiumForTests, expectAccessible, logInAt, SHOTS } from './browser.js';
import { clickNav } from './console-nav.js';
import { CONSOLE } from './console-page.js';
import { call, type Person, signUp, signUpAdmin } from './people.js';
import { api, deploymentFile, lambda, resources, runScript, waitFor } from './support.js';

let admin: Person;
let user: Person;
beforeAll(async () => {
  [admin, user] = await Promise.all([signUpAdmin('tracer'), signUp('traced')]);
});

/** A context of our own, as a client that traces would send it. */
const clientContext = () => ({ traceId: newTraceId(), spanId: newSpanId(), sampled: true });

async function newShowtime(seats: number) {
  const response = await call('POST', 'movies', {
    as: admin,
    body: {
      title: `Traced ${randomUUID().slice(0, 6)}`,
      director: 'Agnès Varda',
      rating: 8,
      showtimes: [{ startsAt: '2036-12-24T20:00:00Z', seats }],
    },
  });
  expect(response.status).toBe(201);
  return { movieId: response.body.id as string, showtimeId: response.body.showtimes[0].id as string };
}

/** Books as `user`, sending `traceparent`. */
const book = (traceparent: string, movieId: string, showtimeId: string) =>
  api('bookings', {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      authorization: `Bearer ${user.accessToken}`,
      traceparent,
    },
    body: JSON.stringify({ movieId, showtimeId, seats: 1 }),
  });

/** `npm run trace -- <id> --json`, once it shows a tree; undefined while the id names nothing yet. */
async function traceOf(id: string): Promise<Waterfall | undefined> {
  const run = await runScript('bin/trace.ts', [id, '--json']);
  if (run.status !== 0) return undefined;
  return JSON.parse(run.stdout) as Waterfall;
}

const named = (waterfall: Waterfall, name: string, kind: string, service?: string) =>
  waterfall.rows.filter(
    (r) => r.span.span_name === name && r.span.span_kind === kind && (!service || r.span.service === service),
  );

const one = (waterfall: Waterfall, name: string, kind: string, service?: string): WaterfallRow => {
  const rows = named(waterfall, name, kind, service);
  expect(rows, `${kind} ${name}`).toHaveLength(1);
  return rows[0] as WaterfallRow;
};

const end = (row: WaterfallRow) => row.offsetMs + row.span.duration_ms;

/** Whether both functions that read the log feed (live-feed's and log-feed's) have a CONSUMER span in the trace. */
const feedReadersIn = (waterfall: Waterfall | undefined) => {
  const readers = new Set(
    waterfall?.rows.filter((r) => r.span.span_kind === 'CONSUMER').map((r) => r.span.service),
  );
  return readers.has('live-feed') && readers.has('log-feed');
};

describe('a booking’s trace', () => {
  const openPage = chromiumForTests();
  const sent = clientContext();
  let bookingId = '';
  let waterfall: Waterfall;

  beforeAll(async () => {
    const { movieId, showtimeId } = await newShowtime(5);
    const response = await book(formatTraceparent(sent), movieId, showtimeId);
    expect(response.status).toBe(201);
    bookingId = response.body.id;
    // The API answers with its own span in our trace.
    expect(response.headers.get('traceparent')).toMatch(new RegExp(`^00-${sent.traceId}-[0-9a-f]{16}-01$`));
    // The saga's delayed check comes about 17 s later.
    waterfall = await waitFor(
      'the trace to hold the saga’s delayed check',
      async () => {
        const found = await traceOf(sent.traceId);
        return found && named(found, 'bookings.saga check', 'CONSUMER').length > 0 ? found : undefined;
      },
      // About 17 s on a quiet machine; with every e2e project running at once, minutes.
      { timeoutMs: 180_000, intervalMs: 2_000 },
    );
  }, 240_000);

  it('is one tree from the API span down: movies served under the call, the saga’s delayed check later', () => {
    const [root, ...rest] = waterfall.rows;
    expect(root?.span).toMatchObject({
      span_name: 'POST /bookings',
      span_kind: 'SERVER',
      service: 'bookings',
      parent_span_id: sent.spanId,
      status: 'ok',
    });
    // Every other span hangs under it: nothing of the booking is an orphan.
    for (const row of rest) {
      expect(row.depth, row.span.span_name).toBeGreaterThan(0);
      expect(row.orphan).toBe(false);
    }
    // A booking makes one RPC call (issue 24): no users.get on its path.
    expect(named(waterfall, 'users.get', 'CLIENT')).toEqual([]);
    const moviesCall = one(waterfall, 'movies.reserveSeats', 'CLIENT', 'bookings');
    const moviesServed = one(waterfall, 'movies.reserveSeats', 'SERVER', 'movies');
    expect(moviesServed.span.parent_span_id).toBe(moviesCall.span.span_id);
    expect(moviesCall.span.parent_span_id).toBe(root?.span.span_id);
    const send = one(waterfall, 'send saga check', 'PRODUCER', 'bookings');
    const check = one(waterfall, 'bookings.saga check', 'CONSUMER', 'bookings');
    expect(send.span.attributes?.booking_id).toBe(bookingId);
    expect(check.span.parent_span_id).toBe(send.span.span_id);
    // The check is sent with the reserve and delayed by the pending grace (SQS DelaySeconds).
    expect(check.offsetMs).toBeGreaterThan((PENDING_GRACE_SECONDS - 1) * 1000);
  });

  it('has each call inside its caller’s time, and each message handled after it was sent', () => {
    const byId = new Map(waterfall.rows.map((r) => [r.span.span_id, r]));
    // Start times are whole milliseconds, and a server span ends just after its reply is sent, as the caller reads it.
    const slack = 10;
    for (const row of waterfall.rows) {
      const parent = row.span.parent_span_id ? byId.get(row.span.parent_span_id) : undefined;
      if (!parent) continue;
      expect(row.offsetMs, row.span.span_name).toBeGreaterThanOrEqual(parent.offsetMs - slack);
      if (row.span.span_kind !== 'CONSUMER' && parent.span.span_kind !== 'PRODUCER')
        expect(end(row), row.span.span_name).toBeLessThanOrEqual(end(parent) + slack);
    }
  });

  it('is the same tree found by the request id and by the booking id, and prints as a waterfall', async () => {
    const requestId = waterfall.rows[0]?.span.attributes?.requestId as string;
    expect(requestId).toBeTruthy();
    const ids = (w: Waterfall | undefined) => w?.rows.map((r) => r.span.span_id).sort();
    expect(ids(await traceOf(requestId))).toEqual(ids(waterfall));
    expect(ids(await traceOf(bookingId))).toEqual(ids(waterfall));
    const printed = await runScript('bin/trace.ts', [bookingId]);
    expect(printed.status).toBe(0);
    expect(printed.stdout).toContain(`trace ${sent.traceId}`);
    expect(printed.stdout).toMatch(/\+0ms +\d+ms +bookings +POST \/bookings +SERVER +ok +\|█/);
    expect(printed.stdout).toMatch(/movies +movies\.reserveSeats +SERVER +ok/);
    expect(printed.stdout).toMatch(/\+\d+(\.\d)?s +\d+ms +bookings +bookings\.saga check +CONSUMER +ok/);
  });

  it('is the same tree from GET /traces/{id} for admins; 403 for others, 404 for an id nothing names', async () => {
    const [answer, printed] = await Promise.all([
      call<FoundTrace>('GET', `traces/${bookingId}`, { as: admin }),
      runScript('bin/trace.ts', [bookingId, '--json']),
    ]);
    expect(answer.status).toBe(200);
    expect(answer.body.traceId).toBe(sent.traceId);
    expect(answer.body).toEqual(JSON.parse(printed.stdout));
    expect(answer.body.rows.map((r) => r.span.span_id).sort()).toEqual(
      waterfall.rows.map((r) => r.span.span_id).sort(),
    );
    expect((await call('GET', `traces/${bookingId}`, { as: user })).status).toBe(403);
    // Asked twice: the reader's own lines (naming the id) never make it found.
    const unknown = `nothing-${randomUUID()}`;
    for (let asked = 0; asked < 2; asked += 1) {
      const missing = await call('GET', `traces/${unknown}?since=15m`, { as: admin });
      expect(missing.status).toBe(404);
      expect(missing.body).toMatchObject({ error: 'NotFound' });
    }
    expect((await call('GET', `traces/${newTraceId()}`, { as: admin })).status).toBe(404);
    const bad = await call('GET', 'traces/short', { as: admin });
    expect(bad.status).toBe(400);
    expect(bad.body.fields).toEqual([{ field: 'params.id', message: expect.stringContaining('trace id') }]);
  });

  it('shows in the console’s Trace page to admins, linked from live-feed messages, and not to others', async () => {
    // Nothing either page does is blocked by its CSP (openPage checks).
    const newPage = (width: number) => openPage({ width });
    const page = await newPage(375);
    await logInAt(page, CONSOLE, admin);
    await clickNav(page, 'trace');
    await page.fill('#trace-id', bookingId);
    await page.click('form.inline button[type="submit"]');
    await page.waitForSelector(`#trace-summary:has-text("${sent.traceId}")`);
    expect(page.url()).toContain(`#/trace/${bookingId}`);
    const rows = page.locator('table.waterfall tbody tr');
    expect(await rows.count()).toBe(waterfall.rows.length);
    const row = (service: string, kind: string, name: string) =>
      page.locator(`table.waterfall tr[data-service="${service}"][data-kind="${kind}"]`, { hasText: name });
    expect(await row('bookings', 'SERVER', 'POST /bookings').count()).toBe(1);
    expect(await row('movies', 'SERVER', 'movies.reserveSeats').count()).toBe(1);
    expect(await row('bookings', 'CONSUMER', 'bookings.saga check').count()).toBe(1);
    expect(await page.locator('table.waterfall tr[data-kind="PRODUCER"]').count()).toBeGreaterThan(0);
    expect(await rows.first().locator('td.outcome').textContent()).toBe('ok');
    // A call is drawn indented under its caller: movies' reserve under the bookings request.
    const indent = (service: string, kind: string, name: string) =>
      row(service, kind, name)
        .locator('.label')
        .evaluate((label) => Number.parseFloat(getComputedStyle(label).paddingLeft));
    expect(await indent('movies', 'SERVER', 'movies.reserveSeats')).toBeGreaterThan(
      await indent('bookings', 'SERVER', 'POST /bookings'),
    );
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow, 'the trace page scrolls sideways at 375 px').toBeLessThanOrEqual(0);
    await expectAccessible(page, 'trace page at 375 px');
    await page.screenshot({ path: path.join(SHOTS, 'trace-375.png'), fullPage: true });

    // A feed message links an admin to its trace (on a phone, the feed is a drawer).
    await page.click('button.feed-button');
    await page.waitForSelector('.link.live');
    const published = clientContext();
    const response = await api('downcase?param=Linked', {
      headers: { traceparent: formatTraceparent(published) },
    });
    expect(response.status).toBe(200);
    await page.waitForSelector(`ol.feed li a[href="#/trace/${published.traceId}"]`);
    await page.keyboard.press('Escape');
    // An error tells an admin its request's trace, linked.
    await page.fill('#trace-id', `nothing-${randomUUID()}`);
    await page.click('form.inline button[type="submit"]');
    await page.waitForSelector('p.notice.error:has-text("names nothing") a[href^="#/trace/"]');

    const userPage = await newPage(1280);
    await logInAt(userPage, CONSOLE, user);
    expect(await userPage.locator('nav a[href="#/trace"]').count()).toBe(0);
    await userPage.goto(`${CONSOLE}#/trace/${bookingId}`);
    await userPage.waitForSelector('h1:has-text("Not here")');
  });

  it('npm run logs replays lines logged before it started, by trace, by service and by level', async () => {
    const byTrace = await runScript('bin/logs.ts', ['--since', '5m', '--trace', sent.traceId]);
    expect(byTrace.status).toBe(0);
    const lines = byTrace.stdout.trim().split('\n');
    expect(lines.every((line) => line.includes(sent.traceId))).toBe(true);
    expect(lines.some((line) => /bookings\/bookings +INFO +span SERVER POST \/bookings/.test(line))).toBe(
      true,
    );
    expect(lines.some((line) => /movies\/rpc +INFO +span SERVER movies\.reserveSeats/.test(line))).toBe(true);
    // In time order.
    const times = lines.map((line) => line.slice(0, 12));
    expect([...times].sort()).toEqual(times);

    const movies = await runScript('bin/logs.ts', ['--since', '5m', '--service', 'movies']);
    expect(movies.stdout).toContain('movies/rpc');
    expect(
      movies.stdout
        .trim()
        .split('\n')
        .every((line) => line.slice(13).startsWith('movies/')),
    ).toBe(true);
    const warnings = await runScript('bin/logs.ts', ['--since', '5m', '--level', 'warn']);
    expect(warnings.status).toBe(0);
    expect(warnings.stdout).not.toMatch(/ (INFO|DEBUG) /);

    const groups = await runScript('bin/logs.ts', ['--groups']);
    expect(groups.stdout.split('\n')).toEqual(
      expect.arrayContaining([
        `/microservices/${STACK_NAME}/bookings/bookings`,
        `/microservices/${STACK_NAME}/bookings/saga`,
        `/microservices/${STACK_NAME}/movies/rpc`,
      ]),
    );
  });
});

describe('traces of failures and of feed events', () => {
  it('shows an RPC timeout as an error span, and names the trace in the 504’s body', async () => {
    const sent = clientContext();
    const { movieId, showtimeId } = await newShowtime(3);
    const movies = await queueConsumer(
      lambda,
      resources.functionName(moviesService, 'movies-rpc'),
      'moviesrpc',
    );
    const { result: response } = await movies.pausedDuring(() =>
      book(formatTraceparent(sent), movieId, showtimeId),
    );
    expect(response.status).toBe(504);
    expect(response.body).toMatchObject({ error: 'Timeout', traceId: sent.traceId });
    const waterfall = await waitFor('the timed-out call’s span', async () => {
      const found = await traceOf(sent.traceId);
      return found && named(found, 'movies.reserveSeats', 'CLIENT').length > 0 ? found : undefined;
    });
    expect(one(waterfall, 'movies.reserveSeats', 'CLIENT').span).toMatchObject({
      status: 'error',
      error_code: 'Timeout',
    });
    expect(one(waterfall, 'POST /bookings', 'SERVER').span).toMatchObject({
      status: 'error',
      error_code: 'Timeout',
      attributes: expect.objectContaining({ 'http.response.status_code': 504 }),
    });
  });

  it('follows a feed event from its publish to the functions that read the feed', async () => {
    const sent = clientContext();
    const response = await api('downcase?param=Traced', {
      headers: { traceparent: formatTraceparent(sent) },
    });
    expect(response.status).toBe(200);
    // Each span is a log line of its own function: wait until the publish and both readers' are in.
    const waterfall = await waitFor('the publish and the feed’s consumers in the trace', async () => {
      const found = await traceOf(sent.traceId);
      if (!found) return undefined;
      const published = named(found, 'publish downcase.response', 'PRODUCER', 'downcase').length > 0;
      return published && feedReadersIn(found) ? found : undefined;
    });
    const publish = one(waterfall, 'publish downcase.response', 'PRODUCER', 'downcase');
    const consumers = waterfall.rows.filter((r) => r.span.span_kind === 'CONSUMER');
    expect(consumers.map((r) => r.span.service).sort()).toEqual(
      expect.arrayContaining(['live-feed', 'log-feed']),
    );
    for (const consumer of consumers) expect(consumer.span.parent_span_id).toBe(publish.span.span_id);
  });

  it('npm run logs -- --follow prints a request’s lines as they come', async () => {
    const sent = clientContext();
    const logs = spawn(
      path.resolve('node_modules/.bin/tsx'),
      ['bin/logs.ts', '--follow', '--since', '1m', '--trace', sent.traceId, '--deployment', deploymentFile],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let stdout = '';
    let stderr = '';
    logs.stdout?.on('data', (chunk) => (stdout += chunk));
    logs.stderr?.on('data', (chunk) => (stderr += chunk));
    const exited = new Promise((resolve) => logs.on('close', resolve));
    try {
      await waitFor('logs to follow', async () => (stderr.includes('following') ? true : undefined), {
        timeoutMs: 60_000,
      });
      expect(stdout).toBe('');
      const response = await api('downcase?param=Followed', {
        headers: { traceparent: formatTraceparent(sent) },
      });
      expect(response.status).toBe(200);
      await waitFor('the request’s span line', async () =>
        /downcase\/downcase +INFO +span SERVER GET \/downcase/.test(stdout) ? true : undefined,
      );
    } finally {
      logs.kill('SIGINT');
    }
    await exited;
  });

  it('writes no span for a request whose traceparent says not sampled, and still answers with its trace', async () => {
    const unsampled = { ...clientContext(), sampled: false };
    const response = await api('downcase?param=Unsampled', {
      headers: { traceparent: formatTraceparent(unsampled) },
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('traceparent')).toMatch(
      new RegExp(`^00-${unsampled.traceId}-[0-9a-f]{16}-00$`),
    );
    // A sampled request to the same function after it: once its spans (and its feed readers') are
    // in the logs, the first request's would be too.
    const sampled = clientContext();
    expect(
      (await api('downcase?param=Sampled', { headers: { traceparent: formatTraceparent(sampled) } })).status,
    ).toBe(200);
    await waitFor('the sampled request’s spans, its feed readers’ too', async () =>
      feedReadersIn(await traceOf(sampled.traceId)) ? true : undefined,
    );
    expect(await traceOf(unsampled.traceId)).toBeUndefined();
  });

  it('starts a trace of its own for a request whose traceparent is invalid', async () => {
    const response = await api('downcase?param=x', {
      headers: { traceparent: `00-${'0'.repeat(32)}-${newSpanId()}-01` },
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('traceparent')).toMatch(/^00-(?!0{32})[0-9a-f]{32}-[0-9a-f]{16}-01$/);
  });
});
