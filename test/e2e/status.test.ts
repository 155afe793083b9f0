/**
 * The Status route and page: the stack's dashboard as deployed, read back
 * with the metrics the functions emitted (recorded on the local stack by the
 * metrics agent, as CloudWatch does on AWS), and `npm run stats`.
 */
import { randomUUID } from 'node:crypto';
import * as path from 'node:path';
import {
  CloudWatchClient,
  DeleteAlarmsCommand,
  ListMetricsCommand,
  PutMetricAlarmCommand,
} from '@aws-sdk/client-cloudwatch';
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { SERVICES } from '../../functions/services.js';
import { httpServices } from '../../functions/shared/service.js';
import type { StatusReport, StatusSeries } from '../../functions/status/domain/status.js';
import { OUTPUT } from '../../lib/stack-outputs.js';
import { chromiumForTests, expectAccessible, logInAt, SHOTS, untilShown } from './browser.js';
import { clickNav } from './console-nav.js';
import { CONSOLE } from './console-page.js';
import { call, PASSWORD, type Person, retryTimedOut, signUp, signUpAdmin } from './people.js';
import { api, clientConfig, outputs, runScript, waitFor } from './support.js';

/** Every service with HTTP routes in this deployment (the bench's are not deployed here). */
const HTTP_SERVICES = httpServices(SERVICES.filter((s) => !s.benchOnly)).map((s) => s.name);

type Report = StatusReport;

let admin: Person;
let user: Person;

beforeAll(async () => {
  [admin, user] = await Promise.all([signUpAdmin('operator'), signUp('onlooker')]);
});

/** A request to a route of each HTTP service, as the admin where one needs a token. */
const TOUCH: Record<string, () => ReturnType<typeof call>> = {
  downcase: () => call('GET', 'downcase?param=Status'),
  search: () => call('GET', 'search/monitor'),
  tasks: () => call('GET', 'tasks/health'),
  users: () => call('GET', 'users/me', { as: admin }),
  movies: () => call('GET', 'movies'),
  bookings: () => call('GET', 'bookings', { as: admin }),
  docs: () => call('GET', 'openapi.json'),
  console: () => call('GET', 'console'),
  status: () => call('GET', 'status', { as: admin }),
  health: () => call('GET', 'health'),
  auth: () => call('POST', 'auth/login', { body: { email: admin.email, password: PASSWORD } }),
};

/** What the local stack's API answers when a function did not answer in time on a loaded machine. */
const TIMED_OUT = [502, 503, 504];

/**
 * A request to each of `services`, each answered 200. One that timed out on a loaded machine is
 * sent again (retryTimedOut): it counts as a request, but the test needs the services' answers.
 */
async function touch(services: readonly string[]): Promise<void> {
  const answers = await Promise.all(
    services.map((service) => retryTimedOut(TOUCH[service] as () => ReturnType<typeof call>, TIMED_OUT)),
  );
  for (const answer of answers) expect(answer.status).toBe(200);
}

const total = (series: StatusSeries | undefined) => (series?.values ?? []).reduce((a, b) => a + b, 0);

describe('GET /status', () => {
  it('answers 401 without a token and 403 to a signed-in person who is not an admin', async () => {
    expect((await call('GET', 'status')).status).toBe(401);
    const refused = await call('GET', 'status', { as: user });
    expect(refused.status).toBe(403);
    expect(refused.body).toMatchObject({ error: 'Forbidden' });
  });

  it.each(['0m', '25h', '15', 'soon', '1441m'])(
    'refuses since=%s with a 400 naming query.since',
    async (since) => {
      const refused = await call('GET', `status?since=${since}`, { as: admin });
      expect(refused.status).toBe(400);
      expect(refused.body.fields).toEqual([
        { field: 'query.since', message: expect.stringContaining('1m to 24h') },
      ]);
    },
  );

  it('draws the deployed dashboard for an admin: a row of widgets per HTTP service, with the requests just made', async () => {
    expect(Object.keys(TOUCH).sort()).toEqual([...HTTP_SERVICES].sort());
    await touch(HTTP_SERVICES);
    let missing: string[] = [];
    let seen: unknown[] = [];
    const report = await waitFor(
      'the requests of every HTTP service in the dashboard',
      async () => {
        const answer = await call<Report>('GET', 'status?since=15m', { as: admin });
        if (TIMED_OUT.includes(answer.status)) return undefined;
        expect(answer.status).toBe(200);
        const requests = (service: string) =>
          answer.body.widgets.find((w) => w.title === `${service}: requests`)?.series[0];
        missing = HTTP_SERVICES.filter((service) => !(total(requests(service)) > 0));
        seen = missing.map(requests);
        if (missing.length === 0) return answer.body;
        // MiniStack collects a function's output for a moment after its answer (see
        // localstack/ministack_launch.py): on a very busy machine the last lines of an invocation
        // (its EMF line) wait for the function's next invocation. Another request brings them in.
        await touch(missing);
        return undefined;
      },
      { timeoutMs: 90_000, intervalMs: 2_000 },
    ).catch(async (error: Error) => {
      const { Metrics = [] } = await new CloudWatchClient(clientConfig).send(
        new ListMetricsCommand({
          Namespace: 'Microservices',
          Dimensions: missing.map((Value) => ({ Name: 'service', Value })),
        }),
      );
      throw new Error(
        `${error.message}: no requests of ${missing.join(', ')} (series ${JSON.stringify(seen)}; metrics ${JSON.stringify(Metrics.map((m) => [m.MetricName, m.Dimensions]))})`,
      );
    });
    expect(report.dashboard).toBe(outputs[OUTPUT.dashboardName]);
    expect(report.periodSeconds).toBe(60);
    expect(Date.parse(report.end) - Date.parse(report.start)).toBeGreaterThanOrEqual(15 * 60_000);
    for (const service of HTTP_SERVICES) {
      const titles = report.widgets.filter((w) => w.title.startsWith(`${service}: `)).map((w) => w.title);
      expect(titles, service).toEqual([`${service}: requests`, `${service}: errors`, `${service}: latency`]);
      const latency = report.widgets.find((w) => w.title === `${service}: latency`);
      expect(latency?.series.map((s) => s.stat)).toEqual(['p50', 'p99']);
      for (const series of latency?.series ?? []) {
        expect(series.values.length, `${service} ${series.stat}`).toBeGreaterThan(0);
        expect(series.timestamps).toHaveLength(series.values.length);
        for (const value of series.values) expect(value).toBeGreaterThanOrEqual(0);
      }
    }
    expect(report.widgets.map((w) => w.title)).toEqual(
      expect.arrayContaining([
        'RPC: calls by caller',
        'bookings saga: transitions by state',
        'Dead-letter queues: messages waiting',
      ]),
    );
    expect(Array.isArray(report.alarms)).toBe(true);
    for (const alarm of report.alarms) expect(alarm.name.startsWith('Microservices-')).toBe(true);
  });

  it("lists the stack's alarms (names starting `Microservices-`) with description, state, reason and time, and no other", async () => {
    const cloudwatch = new CloudWatchClient(clientConfig);
    const id = randomUUID().slice(0, 8);
    const ours = `Microservices-e2e-status-${id}`;
    const foreign = `Elsewhere-e2e-status-${id}`;
    const alarm = (name: string) =>
      new PutMetricAlarmCommand({
        AlarmName: name,
        AlarmDescription: 'downcase answers more than a million requests a minute',
        Namespace: 'Microservices',
        MetricName: 'Requests',
        Dimensions: [{ Name: 'service', Value: 'downcase' }],
        Statistic: 'Sum',
        Period: 60,
        EvaluationPeriods: 1,
        Threshold: 1_000_000,
        ComparisonOperator: 'GreaterThanThreshold',
      });
    try {
      await cloudwatch.send(alarm(ours));
      await cloudwatch.send(alarm(foreign));
      const { body } = await call<Report>('GET', 'status', { as: admin });
      const listed = body.alarms.find((a) => a.name === ours);
      expect(listed).toMatchObject({
        description: 'downcase answers more than a million requests a minute',
        state: expect.stringMatching(/^(OK|ALARM|INSUFFICIENT_DATA)$/),
        reason: expect.any(String),
      });
      expect(body.alarms.map((a) => a.name)).not.toContain(foreign);
      for (const a of body.alarms) expect(a.name.startsWith('Microservices-')).toBe(true);
    } finally {
      await cloudwatch.send(new DeleteAlarmsCommand({ AlarmNames: [ours, foreign] }));
    }
  });

  it("shows every dead-letter queue's depth, as the metrics agent records it each minute", async () => {
    const depths = await waitFor(
      'a depth for every dead-letter queue',
      async () => {
        const answer = await call<Report>('GET', 'status?since=15m', { as: admin });
        const widget = answer.body.widgets.find((w) => w.title === 'Dead-letter queues: messages waiting');
        return widget?.series.every((s) => s.values.length > 0) ? widget.series : undefined;
      },
      { timeoutMs: 150_000, intervalMs: 5_000 },
    );
    expect(depths.length).toBeGreaterThanOrEqual(8);
    for (const series of depths) expect(series.dimensions.QueueName).toMatch(/^\S+$/);
  }, 180_000);
});

describe('npm run stats', () => {
  it("prints each HTTP service's requests, errors, p50 and p99 over the window", async () => {
    await touch(HTTP_SERVICES);
    const run = await waitFor(
      'stats with requests for downcase',
      async () => {
        const result = await runScript('bin/stats.ts', ['--since', '15m']);
        expect(result.stderr).toBe('');
        expect(result.status).toBe(0);
        const downcase = result.stdout.split('\n').find((line) => line.startsWith('downcase '));
        return Number(downcase?.trim().split(/\s+/)[1]) > 0 ? result : undefined;
      },
      { timeoutMs: 60_000, intervalMs: 2_000 },
    );
    const lines = run.stdout.trim().split('\n');
    expect(lines[0]).toMatch(/^Microservices-operations: last 15m \(\d\d:\d\d:\d\d to \d\d:\d\d:\d\d UTC\)$/);
    expect(lines[1]?.split(/\s+/)).toEqual(['service', 'requests', 'errors', 'p50', 'ms', 'p99', 'ms']);
    expect(lines.slice(2).map((line) => line.split(/\s+/)[0])).toEqual(HTTP_SERVICES);
    for (const line of lines.slice(2)) expect(line).toMatch(/^\S+\s+\d+\s+\d+\s+(-|\d+\.\d)\s+(-|\d+\.\d)$/);
  });

  it('refuses a malformed --since, naming the rule', async () => {
    const result = await runScript('bin/stats.ts', ['--since', '3 weeks']);
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('--since must be a duration from 1m to 24h');
  });
});

describe('the console Status page', () => {
  const openPage = chromiumForTests();

  /** A page signed in as `person`; nothing on it is blocked by its CSP (openPage checks). */
  async function signedIn(person: Person, width = 1280): Promise<Page> {
    const page = await openPage({ width });
    await logInAt(page, CONSOLE, person);
    return page;
  }

  it('is not offered to a person who is not an admin', async () => {
    const page = await signedIn(user);
    expect(await page.locator('nav a[href="#/status"]').count()).toBe(0);
    await page.goto(`${CONSOLE}#/status`);
    await page.waitForSelector('h1:has-text("Not here")');
  });

  it('draws a panel per widget of the dashboard with a line per series, and the alarms, accessibly, at 1280 and 375 px', async () => {
    await touch(HTTP_SERVICES);
    const expected = await waitFor('the dashboard as the API answers it', async () => {
      const answer = await call<Report>('GET', 'status?since=15m', { as: admin });
      if (TIMED_OUT.includes(answer.status)) return undefined;
      expect(answer.status).toBe(200);
      return answer.body;
    });
    for (const width of [1280, 375]) {
      const page = await signedIn(admin, width);
      await clickNav(page, 'status');
      await page.waitForSelector('h1:has-text("Status")');
      await page.waitForSelector('figure.panel');
      const titles = await page.locator('figure.panel figcaption').allTextContents();
      expect(titles).toEqual(expected.widgets.map((w) => w.title));
      const downcase = page.locator('figure.panel[data-widget="downcase: requests"]');
      expect(await downcase.locator('svg[role="img"]').count()).toBe(1);
      expect(await downcase.locator('polyline').count()).toBe(1);
      await untilShown(() => downcase.locator('ul.legend li').textContent()).toMatch(/requests: \d+/);
      await page.waitForSelector('table.alarms caption:has-text("Alarms")');
      expect(await page.locator('table.alarms tbody tr').count()).toBe(Math.max(1, expected.alarms.length));

      await page.selectOption('#dashboard-window', '1h');
      await untilShown(() => page.locator('.dashboard p.muted').textContent()).toContain(
        'one point per 1 min',
      );
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      expect(overflow, `the Status page scrolls sideways by ${overflow} px`).toBeLessThanOrEqual(0);
      await expectAccessible(page, `Status page at ${width} px`);
      await page.screenshot({
        path: path.join(SHOTS, `status-${width === 375 ? '375' : 'desktop'}.png`),
        fullPage: true,
      });
    }
  });
});

describe('the API document', () => {
  it('describes GET /status for admins, with its window and its answer', async () => {
    const document = (await api('openapi.json')).body;
    const operation = document.paths['/status']?.get;
    expect(operation?.['x-required-role']).toBe('admin');
    expect(operation?.parameters).toEqual(
      expect.arrayContaining([expect.objectContaining({ name: 'since', in: 'query' })]),
    );
    expect(Object.keys(operation?.responses ?? {})).toEqual(
      expect.arrayContaining(['200', '400', '401', '403']),
    );
  });
});
