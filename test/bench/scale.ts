/**
 * Scale, simulated on the bench's own stack (`npm run bench -- --only=scale`):
 * the deployed tables are loaded, in three steps, to 1,000 / 100,000 /
 * 1,000,000 bookings (users, tasks and things 1,000 / 100,000 / 100,000;
 * movies 100 / 10,000 / 10,000) with BatchWriteItem straight to DynamoDB
 * (25 items a call, {@link PARALLEL} calls in flight, unprocessed items sent
 * again), each item in the shape its store writes (test/bench/scale-items.ts).
 * After each step, every list, search and the reconciler run through the
 * real API (the reconciler: its function invoked), and the section prints,
 * per operation, the DynamoDB items it read (from the functions' counting
 * lines, `-c count=true` as for the cost section: Query and Scan count what they scanned, a Get what
 * it returned) and its latency p50, beside what a scan of its table would
 * read (the table's item count): the baseline of the same run.
 *
 * The loaded profiles have no Cognito account, so the users sweeper would
 * take each for a removed account and start 100,000 deletions: it is
 * switched off for the section (reserved concurrency 0) and on again after.
 */

import { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import { DescribeTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  DeleteFunctionConcurrencyCommand,
  InvokeCommand,
  LambdaClient,
  PutFunctionConcurrencyCommand,
} from '@aws-sdk/client-lambda';
import { BatchWriteCommand, DynamoDBDocumentClient, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { ulid } from 'ulid';
import type { Booking } from '../../functions/bookings/domain/bookings.js';
import { bookingItem, dynamoBookingStore } from '../../functions/bookings/dynamo-store.js';
import { bookingsService } from '../../functions/bookings/service.js';
import { moviesService } from '../../functions/movies/service.js';
import { searchService } from '../../functions/search/service.js';
import { SEARCH_TABLES } from '../../functions/search/table.js';
import { tasksService } from '../../functions/tasks/service.js';
import { usersService } from '../../functions/users/service.js';
import type { Deployment } from '../../lib/stack-outputs.js';
import { stackResources } from '../../lib/stack-outputs.js';
import type { Person } from '../support/people.js';
import { linesOf, logGroups, quiet } from './cost.js';
import { benchPerson } from './people.js';
import {
  itemsRead,
  scaleBooking,
  scaleMovie,
  scaleProfile,
  scaleTask,
  scaleThing,
  scaleThingRows,
} from './scale-items.js';
import { percentile } from './stats.js';

/** The sizes the tables are loaded to, step by step; `BENCH_SCALE_STEPS=1` (or 2) stops early, for a quick look. */
const STEPS = [
  { bookings: 1_000, users: 1_000, things: 1_000, movies: 100 },
  { bookings: 100_000, users: 100_000, things: 100_000, movies: 10_000 },
  { bookings: 1_000_000, users: 100_000, things: 100_000, movies: 10_000 },
].slice(0, Number(process.env.BENCH_SCALE_STEPS ?? 3));
/** BatchWriteItem calls in flight: the emulator is one Python process on a shared two-core machine. */
const PARALLEL = 4;
const BATCH = 25;
/** Requests timed per operation and step (after {@link WARM_UP} untimed ones: cold starts, the authorizer's cache). */
const REPEATS = 10;
const WARM_UP = 2;
/** The bench person's own bookings and tasks: the same at every size, like anyone's. */
const OWN = 10;
/** Bookings the section puts in flight before each reconciler measurement: live creates, and crash leftovers past their grace. */
const LIVE_IN_FLIGHT = 20;
const DUE_IN_FLIGHT = 5;
const RECONCILER_PASSES = 5;
/** The thing whose point and whole name the searches look for (it exists from the first step on). */
const SOUGHT_THING = 7;

type Row = [table: string, item: Record<string, unknown>];
type Check = (target: string, ok: boolean) => void;

interface Measured {
  read: number;
  p50: number;
  returned: number;
  scan: number;
  note?: string;
}

const thousands = (n: number) => n.toLocaleString('en-US');
const progress = (line: string) =>
  process.stderr.write(`  [scale] ${new Date().toISOString().slice(11, 19)} ${line}\n`);

export async function scaleBench(deployment: Deployment, check: Check): Promise<void> {
  const resources = stackResources(deployment.outputs);
  const tables = {
    bookings: resources.table(bookingsService, 'bookings'),
    closedAccounts: resources.table(bookingsService, 'closed-accounts'),
    users: resources.table(usersService, 'users'),
    tasks: resources.table(tasksService, 'tasks'),
    movies: resources.table(moviesService, 'movies'),
    things: resources.table(searchService, 'things'),
    cells: resources.table(searchService, 'cells'),
    names: resources.table(searchService, 'names'),
  };
  const requestHandler = { requestTimeout: 120_000, connectionTimeout: 5_000 };
  const dynamo = new DynamoDBClient({ requestHandler });
  const documents = DynamoDBDocumentClient.from(dynamo, { marshallOptions: { removeUndefinedValues: true } });
  const lambda = new LambdaClient({ requestHandler });
  const logs = new CloudWatchLogsClient({ requestHandler });
  const sweeper = resources.functionName(usersService, 'users-sweeper');
  const reconciler = resources.functionName(bookingsService, 'bookings-reconciler');
  const api = deployment.apiBaseUrl;

  /** Writes the rows 25 a call, {@link PARALLEL} calls at once, sending unprocessed items again; returns the time taken. */
  async function load(label: string, rows: Iterator<Row>, expected: number): Promise<number> {
    const started = Date.now();
    let written = 0;
    let lastReport = started;
    let done = false;
    const take = (): Row[] => {
      const batch: Row[] = [];
      while (!done && batch.length < BATCH) {
        const next = rows.next();
        if (next.done) done = true;
        else batch.push(next.value);
      }
      return batch;
    };
    await Promise.all(
      Array.from({ length: PARALLEL }, async () => {
        for (let batch = take(); batch.length > 0; batch = take()) {
          let requestItems: Record<string, Array<{ PutRequest: { Item: Record<string, unknown> } }>> = {};
          for (const [table, Item] of batch) {
            requestItems[table] = [...(requestItems[table] ?? []), { PutRequest: { Item } }];
          }
          for (let attempt = 0; Object.keys(requestItems).length > 0; attempt++) {
            if (attempt > 0)
              await new Promise((resolve) => setTimeout(resolve, 50 * 2 ** Math.min(attempt, 6)));
            const { UnprocessedItems } = await documents.send(
              new BatchWriteCommand({ RequestItems: requestItems }),
            );
            requestItems = (UnprocessedItems ?? {}) as typeof requestItems;
          }
          written += batch.length;
          if (Date.now() - lastReport >= 10_000) {
            lastReport = Date.now();
            const rate = written / ((lastReport - started) / 1000);
            progress(
              `${label}: ${thousands(written)} of ~${thousands(expected)} items (${thousands(Math.round(rate))}/s)`,
            );
          }
        }
      }),
    );
    const ms = Date.now() - started;
    progress(`${label}: ${thousands(written)} items in ${(ms / 1000).toFixed(0)} s`);
    return ms;
  }

  /** Rows of the items numbered [from, to) of each kind. */
  function* rowsOf(kind: 'users' | 'movies' | 'bookings' | 'things', from: number, to: number, step: Step) {
    for (let i = from; i < to; i++) {
      if (kind === 'users') {
        const profile = scaleProfile(i);
        yield [tables.users, { ...profile }] as Row;
        yield [tables.tasks, scaleTask(i, profile.id)] as Row;
      } else if (kind === 'movies') yield [tables.movies, scaleMovie(i).item] as Row;
      else if (kind === 'bookings')
        yield [tables.bookings, bookingItem(scaleBooking(i, step.users, step.movies))] as Row;
      else {
        const rows = scaleThingRows(i);
        for (const item of rows.things) yield [tables.things, item] as Row;
        for (const item of rows.cells) yield [tables.cells, item] as Row;
        for (const item of rows.names)
          yield [tables.names, item as unknown as Record<string, unknown>] as Row;
      }
    }
  }

  const itemCount = async (table: string) =>
    (await dynamo.send(new DescribeTableCommand({ TableName: table }))).Table?.ItemCount ?? 0;

  // The people the API requests run as: an admin, and a person with their own bookings and tasks.
  const [admin, person] = await Promise.all([
    benchPerson(deployment, { admin: true }),
    benchPerson(deployment),
  ]);
  if (!admin || !person) throw new Error('the scale section could not sign its people up');
  const ownRows = function* (): Generator<Row> {
    for (let i = 0; i < OWN; i++) {
      yield [tables.bookings, bookingItem({ ...scaleBooking(10_000_000 + i, 1, 1), userId: person.id })];
      yield [tables.tasks, scaleTask(10_000_000 + i, person.id)];
    }
  };
  await load("the bench person's bookings and tasks", ownRows(), 2 * OWN);

  const groups = await logGroups(deployment, lambda, logs);
  // Every function but the scheduled ones (which run on their own clock) counts toward a request's reads.
  const requestGroups = groups.filter((g) => !g.fn?.scheduled);

  /** Runs `request` {@link REPEATS} times after a warm-up; items read per request from every function's lines. */
  async function measure(
    request: () => Promise<number>,
    included = requestGroups,
  ): Promise<{ read: number; p50: number; returned: number }> {
    for (let i = 0; i < WARM_UP; i++) await request();
    // The warm-up's lines must not fall in the window.
    await quiet(logs, included, Date.now() - 1_000, Date.now(), 0);
    const started = Date.now();
    const latencies: number[] = [];
    let returned = 0;
    for (let i = 0; i < REPEATS; i++) {
      const t0 = performance.now();
      returned = await request();
      latencies.push(performance.now() - t0);
    }
    await quiet(logs, included, started, Date.now(), 0);
    const ended = Date.now();
    let read = 0;
    for (const g of included)
      read += itemsRead((await linesOf(logs, g.group, started, ended)).map((l) => l.message));
    return { read: read / REPEATS, p50: percentile(latencies, 50), returned };
  }

  /** GETs `path` as `who`; answers how many items the response holds. */
  const get = async (
    path: string,
    who?: Person,
    count = (body: Record<string, unknown>) => listLength(body),
  ) => {
    const response = await fetch(`${api}${path}`, {
      headers: who ? { authorization: `Bearer ${who.accessToken}` } : {},
    });
    const body = (await response.json()) as Record<string, unknown>;
    if (response.status !== 200)
      throw new Error(`GET ${path} answered ${response.status}: ${JSON.stringify(body)}`);
    return count(body);
  };
  const listLength = (body: Record<string, unknown>) =>
    Array.isArray(body.items) ? body.items.length : Array.isArray(body.tasks) ? body.tasks.length : 0;

  const bookingStore = dynamoBookingStore(tables.bookings, tables.closedAccounts);
  const sought = scaleThing(SOUGHT_THING);

  /** One reconciler pass, invoked: its items read (as it answers them) and what it repaired. */
  async function pass(): Promise<{ read: number; repaired: number; ms: number }> {
    const t0 = performance.now();
    const result = await lambda.send(new InvokeCommand({ FunctionName: reconciler, Payload: '{}' }));
    const ms = performance.now() - t0;
    if (result.FunctionError)
      throw new Error(`the reconciler failed: ${Buffer.from(result.Payload ?? []).toString()}`);
    const answer = JSON.parse(Buffer.from(result.Payload ?? []).toString()) as {
      read: number;
      repaired: string[];
    };
    return { read: answer.read, repaired: answer.repaired.length, ms };
  }

  /** Puts bookings in flight through the store (live creates, and leftovers past their grace), then times reconciler passes. */
  async function reconcilerPasses(step: Step): Promise<Measured> {
    const now = Date.now();
    const inFlight = (i: number, ageMs: number): Booking => {
      const base = scaleBooking(20_000_000 + i, step.users, step.movies);
      const at = new Date(now - ageMs).toISOString();
      return { ...base, id: ulid(now - ageMs), status: 'pending', createdOn: at, updatedOn: at };
    };
    await Promise.all([
      ...Array.from({ length: LIVE_IN_FLIGHT }, (_, i) => bookingStore.insert(inFlight(i, 0))),
      ...Array.from({ length: DUE_IN_FLIGHT }, (_, i) =>
        bookingStore.insert(inFlight(LIVE_IN_FLIGHT + i, 3_600_000)),
      ),
    ]);
    const passes = [];
    for (let i = 0; i < RECONCILER_PASSES; i++) passes.push(await pass());
    const [first] = passes;
    const scan = await itemCount(tables.bookings);
    return {
      read: passes.reduce((sum, p) => sum + p.read, 0) / passes.length,
      p50: percentile(
        passes.map((p) => p.ms),
        50,
      ),
      returned: first?.repaired ?? 0,
      scan,
      note: `first pass read ${first?.read} and repaired ${first?.repaired} of ${DUE_IN_FLIGHT} due (${LIVE_IN_FLIGHT} live in flight beside them); later passes read ${passes
        .slice(1)
        .map((p) => p.read)
        .join(', ')}`,
    };
  }

  /** Every list, search and the reconciler at the tables' current size. */
  async function operations(step: Step): Promise<Array<[string, Measured]>> {
    const results: Array<[string, Measured]> = [];
    const run = async (name: string, table: string, request: () => Promise<number>) => {
      progress(`measuring ${name}`);
      const measured = await measure(request);
      results.push([name, { ...measured, scan: await itemCount(table) }]);
    };
    await run('my bookings', tables.bookings, () => get('bookings', person));
    // Everyone's bookings: GET /bookings lists only the caller's own, admins' included.
    await run('all bookings, page 1 (admin)', tables.bookings, () => get('bookings/all', admin));
    const first = await fetch(`${api}bookings/all`, {
      headers: { authorization: `Bearer ${admin.accessToken}` },
    });
    const cursor = String(((await first.json()) as { cursor?: string }).cursor ?? '');
    await run('all bookings, page 2 (admin)', tables.bookings, () =>
      get(`bookings/all?cursor=${encodeURIComponent(cursor)}`, admin),
    );
    await run('cancelled bookings, page 1 (admin)', tables.bookings, () =>
      get('bookings/all?status=cancelled', admin),
    );
    await run("a person's bookings (admin)", tables.bookings, () =>
      get(`users/${person.id}/bookings`, admin, (body) =>
        Array.isArray(body.bookings) ? body.bookings.length : 0,
      ),
    );
    await run('users list (admin)', tables.users, () => get('users', admin));
    await run('tasks list', tables.tasks, () => get('tasks', person));
    await run('movies list', tables.movies, () => get('movies'));
    // "Scale Movie 1…": the titles starting with it are 1, 10-19, 100-199, …: a page of them.
    await run('movies by title', tables.movies, () => get('movies?title=scale%20movie%201'));
    const total = (body: Record<string, unknown>) => Number(body.total ?? 0);
    await run('search by point', tables.things, () =>
      get(`search?lat=${sought.center[0]}&lng=${sought.center[1]}`, undefined, total),
    );
    await run('search by name', tables.things, () =>
      get(`search?query=${encodeURIComponent(sought.thing.name)}`, undefined, total),
    );
    progress('measuring the reconciler');
    results.push(['reconciler pass', await reconcilerPasses(step)]);
    return results;
  }

  // The loaded profiles have no account in the pool: a sweep would start a deletion for each.
  await lambda.send(
    new PutFunctionConcurrencyCommand({ FunctionName: sweeper, ReservedConcurrentExecutions: 0 }),
  );
  const byStep: Array<{ step: Step; loadMs: number; results: Array<[string, Measured]> }> = [];
  const sectionStarted = Date.now();
  try {
    let loaded = { bookings: 0, users: 0, things: 0, movies: 0 };
    for (const step of STEPS) {
      progress(
        `loading to ${thousands(step.bookings)} bookings, ${thousands(step.users)} users and tasks, ${thousands(step.things)} things, ${thousands(step.movies)} movies`,
      );
      // What each kind writes per row: a profile and its task; a movie; a thing's row, cells and names (24); a booking.
      const kinds = [
        ['users and tasks', 'users', 2],
        ['movies', 'movies', 1],
        ['things (things, cells, names)', 'things', 24],
        ['bookings', 'bookings', 1],
      ] as const;
      let loadMs = 0;
      for (const [label, kind, itemsPerRow] of kinds)
        loadMs += await load(
          label,
          rowsOf(kind, loaded[kind], step[kind], step),
          itemsPerRow * (step[kind] - loaded[kind]),
        );
      if (step.things > loaded.things)
        await documents.send(
          new UpdateCommand({
            TableName: tables.cells,
            Key: SEARCH_TABLES.counterKey,
            UpdateExpression: 'ADD n :delta',
            ExpressionAttributeValues: { ':delta': step.things - loaded.things },
          }),
        );
      loaded = { ...step };
      byStep.push({ step, loadMs, results: await operations(step) });
      printStep(byStep[byStep.length - 1] as (typeof byStep)[number]);
    }
  } finally {
    await lambda.send(new DeleteFunctionConcurrencyCommand({ FunctionName: sweeper }));
  }
  printSummary(byStep, Date.now() - sectionStarted);

  const first = byStep[0];
  const last = byStep[byStep.length - 1];
  if (first && last) {
    for (const [name, measured] of last.results) {
      const before = first.results.find(([n]) => n === name)?.[1];
      check(
        `scale: ${name} reads about as many items at ${thousands(last.step.bookings)} bookings as at ${thousands(first.step.bookings)} (at most 2x + 5)`,
        before !== undefined && measured.read <= 2 * before.read + 5,
      );
      check(
        `scale: ${name} reads under 1% of a scan of its table at ${thousands(last.step.bookings)} bookings`,
        measured.read < measured.scan / 100,
      );
    }
  }
}

type Step = (typeof STEPS)[number];

function printStep({
  step,
  loadMs,
  results,
}: {
  step: Step;
  loadMs: number;
  results: Array<[string, Measured]>;
}) {
  console.log(
    `\nscale at ${thousands(step.bookings)} bookings, ${thousands(step.users)} users, ${thousands(step.things)} things (this step's load: ${(loadMs / 1000).toFixed(0)} s)`,
  );
  console.log(`  ${'operation'.padEnd(30)} | items read | returned | p50 ms   | a scan would read`);
  for (const [name, m] of results) {
    console.log(
      `  ${name.padEnd(30)} | ${m.read.toFixed(1).padStart(10)} | ${String(m.returned).padStart(8)} | ${m.p50.toFixed(0).padStart(8)} | ${thousands(m.scan).padStart(17)}`,
    );
    if (m.note) console.log(`    (${m.note})`);
  }
}

function printSummary(
  byStep: Array<{ step: Step; loadMs: number; results: Array<[string, Measured]> }>,
  sectionMs: number,
) {
  const header = byStep
    .map(({ step }) =>
      `${thousands(step.bookings)} / ${thousands(step.users)} / ${thousands(step.things)}`.padEnd(34),
    )
    .join(' | ');
  console.log(
    '\nscale: items read per operation / p50 / what a scan of its table would read, as the tables grow',
  );
  console.log(
    `  ${''.padEnd(30)} | ${byStep.map(() => 'bookings / users and tasks / things'.padEnd(34)).join(' | ')}`,
  );
  console.log(`  ${'operation'.padEnd(30)} | ${header}`);
  const names = byStep[0]?.results.map(([name]) => name) ?? [];
  for (const name of names) {
    const cells = byStep.map(({ results }) => {
      const m = results.find(([n]) => n === name)?.[1];
      return m
        ? `${m.read.toFixed(1)} / ${m.p50.toFixed(0)} ms / ${thousands(m.scan)}`.padEnd(34)
        : '-'.padEnd(34);
    });
    console.log(`  ${name.padEnd(30)} | ${cells.join(' | ')}`);
  }
  const loads = byStep.map(
    ({ step, loadMs }) => `${thousands(step.bookings)}: ${(loadMs / 1000).toFixed(0)} s`,
  );
  console.log(
    `  load time per step: ${loads.join(', ')}; the whole section: ${(sectionMs / 1000).toFixed(0)} s`,
  );
}
