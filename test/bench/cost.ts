/**
 * The price of each operation: for every user operation (and a reconciler
 * pass with nothing to repair), the AWS requests the functions make by
 * service, Lambda invocations and billed GB-seconds, DynamoDB read and write
 * units, SQS and SNS requests and the bytes CloudWatch Logs ingests, then
 * dollars per million operations at the prices of test/bench/prices.ts.
 *
 * How: for this section the bench deploys its stack again with `-c count=true`,
 * and every function logs one line per AWS request it makes
 * (functions/shared/request-counting.ts); the other sections measure a stack
 * without those lines. Each
 * operation runs {@link REPEATS} times from one client, alone; the section then
 * waits until no function has logged for {@link QUIET_MS} (the asynchronous
 * part of an operation, such as the log feed's subscribers and the booking
 * saga's delayed check, is part of its price), and reads every log group's
 * lines of that window with FilterLogEvents: REPORT lines give invocations,
 * billed duration and memory; the counting lines give the requests. The
 * scheduled functions (health checks, the RPC janitor, the users sweeper,
 * the reconciler) are left out of the user operations' windows: they run on
 * their own clock, whatever the traffic.
 */
import { randomUUID } from 'node:crypto';
import {
  CloudWatchLogsClient,
  DescribeLogGroupsCommand,
  FilterLogEventsCommand,
} from '@aws-sdk/client-cloudwatch-logs';
import { DescribeTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { GetFunctionConfigurationCommand, InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { bookingsService } from '../../functions/bookings/service.js';
import { PENDING_GRACE_SECONDS } from '../../functions/bookings/timing.js';
import { DEPLOYABLE, declaredFunctions } from '../../functions/services.js';
import { RIGHTS_CACHE_SECONDS } from '../../functions/shared/identity/roles.js';
import type { Deployment } from '../../lib/stack-outputs.js';
import { outputName, stackResources } from '../../lib/stack-outputs.js';
import { PASSWORD, type Person } from '../support/people.js';
import {
  type GroupLines,
  type LogLine,
  requestsByService,
  type Tally,
  tally,
  usagePerOperation,
} from './cost-usage.js';
import { benchPerson, newShowtime, post } from './people.js';
import { dollarsPerMillion, NOT_PRICED_PER_REQUEST, PRICE_SOURCES, PRICES, type Usage } from './prices.js';

/** The token authorizer's bundle: its decision is cached per token, so its share of a request varies. */
const AUTHORIZER = 'auth-token-authorizer';
/** Times each operation runs (sign-ups: fewer, each is a new account). */
const REPEATS = 20;
const SIGN_UPS = 10;
/** An operation's window closes once no included log group has had a line for this long. */
const QUIET_MS = 3_000;
/** The longest an operation's window stays open. */
const WINDOW_LIMIT_MS = 120_000;

export interface LogGroupInfo {
  group: string;
  fn?: { bundle: string; sqsTriggered: boolean; scheduled: boolean };
}

interface Operation {
  name: string;
  /** API Gateway requests each one makes. */
  api: number;
  /** How many times it runs; default {@link REPEATS}. */
  repeats?: number;
  /** The least time its window stays open after its last request (a delayed message it leaves, say). */
  settleMs?: number;
  /** A scheduled function's own pass: its window includes that function, and its runs are counted from its REPORT lines. */
  scheduledBundle?: string;
  run: (i: number) => Promise<void>;
}

interface Measured {
  operation: Operation;
  count: number;
  tallied: Tally;
  usage: Usage;
}

/** Every function of the deployment with its log group, and every other log group. */
export async function logGroups(deployment: Deployment, lambda: LambdaClient, logs: CloudWatchLogsClient) {
  const byGroup = new Map<string, LogGroupInfo>();
  let nextToken: string | undefined;
  do {
    const page = await logs.send(new DescribeLogGroupsCommand({ nextToken }));
    for (const { logGroupName } of page.logGroups ?? [])
      if (logGroupName) byGroup.set(logGroupName, { group: logGroupName });
    nextToken = page.nextToken;
  } while (nextToken);
  for (const [bundle, declaration] of Object.entries(declaredFunctions())) {
    const name = deployment.outputs[outputName.functionName(bundle)];
    if (!name) continue; // not deployed (no RPC, no bench routes)
    const config = await lambda.send(new GetFunctionConfigurationCommand({ FunctionName: name }));
    const group = config.LoggingConfig?.LogGroup ?? `/aws/lambda/${name}`;
    const trigger = declaration.trigger ?? {};
    byGroup.set(group, {
      group,
      fn: {
        bundle,
        sqsTriggered: 'rpc' in trigger || 'queue' in trigger || 'logFeed' in trigger,
        scheduled: 'schedule' in trigger,
      },
    });
  }
  return [...byGroup.values()];
}

/** Every line of `group` logged from `startTime` on (until `endTime`). */
export async function linesOf(
  logs: CloudWatchLogsClient,
  group: string,
  startTime: number,
  endTime?: number,
): Promise<LogLine[]> {
  const lines: LogLine[] = [];
  let nextToken: string | undefined;
  do {
    const page = await logs.send(
      new FilterLogEventsCommand({ logGroupName: group, startTime, endTime, nextToken }),
    );
    for (const event of page.events ?? [])
      lines.push({ message: (event.message ?? '').replace(/\n$/, ''), timestamp: event.timestamp ?? 0 });
    nextToken = page.nextToken;
  } while (nextToken);
  return lines;
}

/** Waits until none of `groups` has logged for {@link QUIET_MS} (and `settleMs` has passed since `lastRequest`). */
export async function quiet(
  logs: CloudWatchLogsClient,
  groups: readonly LogGroupInfo[],
  since: number,
  lastRequest: number,
  settleMs: number,
): Promise<void> {
  const deadline = Date.now() + WINDOW_LIMIT_MS;
  while (Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    if (Date.now() - lastRequest < Math.max(settleMs, QUIET_MS)) continue;
    let newest = lastRequest;
    for (const { group } of groups) {
      for (const line of await linesOf(logs, group, since)) newest = Math.max(newest, line.timestamp);
    }
    if (Date.now() - newest >= QUIET_MS) return;
  }
  throw new Error(`the functions did not go quiet within ${WINDOW_LIMIT_MS / 1000} s`);
}

const expectStatus = async (response: Response, ...ok: number[]) => {
  const body = await response.text();
  if (!ok.includes(response.status))
    throw new Error(`${response.url} answered ${response.status}: ${body.slice(0, 200)}`);
  return body;
};

/** A small square around a point, named. */
const square = (name: string, lat: number, lng: number) => ({
  name,
  geometry: {
    type: 'Polygon',
    coordinates: [
      [
        [lng - 0.01, lat - 0.01],
        [lng + 0.01, lat - 0.01],
        [lng + 0.01, lat + 0.01],
        [lng - 0.01, lat + 0.01],
        [lng - 0.01, lat - 0.01],
      ],
    ],
  },
});

/** The operations, each ready to run: the people, things, tasks and movie they need are made first. */
async function operations(deployment: Deployment, lambda: LambdaClient): Promise<Operation[]> {
  const api = deployment.apiBaseUrl;
  const [admin, person, ...bookers] = await Promise.all([
    benchPerson(deployment, { admin: true }),
    ...Array.from({ length: 5 }, () => benchPerson(deployment)),
  ]);
  if (!admin || !person) throw new Error('the cost section could not sign its people up');
  const auth = (who: Person) => ({ authorization: `Bearer ${who.accessToken}` });
  const made = [
    ...(await Promise.all(
      ['Cost Park', 'Cost Square', 'Harbour', 'Market Hall', 'Old Mill'].map((name, i) =>
        post(`${api}things`, square(name, 48.85 + i * 0.05, 2.35), admin.accessToken),
      ),
    )),
    ...(await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        post(`${api}tasks`, { name: `cost task ${i}` }, person.accessToken),
      ),
    )),
  ];
  if (made.some((r) => r.status !== 201))
    throw new Error('the cost section could not add its things and tasks');
  const { movieId, showtimeId } = await newShowtime(deployment, admin.accessToken, 'Cost', 1_000);
  const booked: Array<{ id: string; owner: Person }> = [];
  const reconciler = stackResources(deployment.outputs).functionName(bookingsService, 'bookings-reconciler');
  const tag = randomUUID().slice(0, 8);

  return [
    {
      name: 'downcase',
      api: 1,
      run: async () => void (await expectStatus(await fetch(`${api}downcase?param=CostOf${tag}`), 200)),
    },
    {
      name: 'search by point',
      api: 1,
      run: async () => void (await expectStatus(await fetch(`${api}search?lat=48.85&lng=2.35`), 200)),
    },
    {
      name: 'search by name',
      api: 1,
      run: async () => void (await expectStatus(await fetch(`${api}search?query=square`), 200)),
    },
    {
      name: 'sign up',
      api: 1,
      repeats: SIGN_UPS,
      run: async (i) => {
        const response = await fetch(`${api}auth/signup`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ email: `cost-${tag}-${i}-${Date.now()}@example.com`, password: PASSWORD }),
        });
        await expectStatus(response, 201);
      },
    },
    {
      name: 'log in',
      api: 1,
      run: async () => {
        const response = await fetch(`${api}auth/login`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ email: person.email, password: PASSWORD }),
        });
        await expectStatus(response, 200);
      },
    },
    {
      name: 'add a task',
      api: 1,
      run: async (i) =>
        void (await expectStatus(
          await fetch(`${api}tasks`, {
            method: 'POST',
            headers: { 'content-type': 'application/json', ...auth(person) },
            body: JSON.stringify({ name: `cost ${tag} ${i}` }),
          }),
          201,
        )),
    },
    {
      name: 'list tasks',
      api: 1,
      run: async () => void (await expectStatus(await fetch(`${api}tasks`, { headers: auth(person) }), 200)),
    },
    {
      name: 'book',
      api: 1,
      // Each booking leaves a delayed check on the saga queue: it is part of the booking's price.
      settleMs: (PENDING_GRACE_SECONDS + 2) * 1000,
      run: async (i) => {
        const owner = bookers[Math.abs(i) % bookers.length] as Person;
        const created = await post(`${api}bookings`, { movieId, showtimeId, seats: 1 }, owner.accessToken);
        if (created.status !== 201) throw new Error(`booking answered ${created.status}`);
        booked.push({ id: String(created.body.id), owner });
      },
    },
    {
      name: 'cancel',
      api: 1,
      // The oldest booking not yet cancelled (each booking's saga has finished by now).
      run: async () => {
        const next = booked.shift();
        if (!next) throw new Error('no booking left to cancel');
        const { id, owner } = next;
        await expectStatus(
          await fetch(`${api}bookings/${id}`, { method: 'DELETE', headers: auth(owner) }),
          202,
          204,
        );
      },
    },
    {
      name: 'reconciler pass',
      api: 0,
      scheduledBundle: 'bookings-reconciler',
      run: async () => {
        const result = await lambda.send(new InvokeCommand({ FunctionName: reconciler, Payload: '{}' }));
        if (result.FunctionError) throw new Error(`the reconciler failed: ${result.FunctionError}`);
      },
    },
  ];
}

/** Runs one operation alone and tallies every log group's lines of its window. */
async function measure(
  logs: CloudWatchLogsClient,
  groups: readonly LogGroupInfo[],
  operation: Operation,
): Promise<Measured> {
  // The scheduled functions run on their own clock: only the one whose pass this is counts here.
  const included = groups.filter((g) => !g.fn?.scheduled || g.fn.bundle === operation.scheduledBundle);
  const started = Date.now();
  const repeats = operation.repeats ?? REPEATS;
  for (let i = 0; i < repeats; i++) await operation.run(i);
  await quiet(logs, included, started, Date.now(), operation.settleMs ?? 0);
  const ended = Date.now();
  const lines: GroupLines[] = [];
  for (const g of included) lines.push({ ...g, lines: await linesOf(logs, g.group, started, ended) });
  const tallied = tally(lines);
  // A scheduled pass also runs by itself during its window: count the passes, not our invokes.
  const count = operation.scheduledBundle
    ? (tallied.functions[operation.scheduledBundle]?.invocations ?? repeats)
    : repeats;
  return { operation, count, tallied, usage: usagePerOperation(tallied, count, operation.api) };
}

const fixed = (value: number, digits: number) => value.toFixed(digits);
const cell = (text: string, width: number) => text.padStart(width);

/** Items in each of the deployment's tables: what a scan's price depends on. */
async function tableSizes(deployment: Deployment): Promise<string> {
  const dynamo = new DynamoDBClient({});
  const sizes: string[] = [];
  for (const service of DEPLOYABLE)
    for (const table of Object.keys(service.tables ?? {})) {
      const name = deployment.outputs[outputName.table(service.name, table)];
      if (!name) continue;
      const { Table } = await dynamo.send(new DescribeTableCommand({ TableName: name }));
      sizes.push(`${service.name}/${table} ${Table?.ItemCount ?? '?'}`);
    }
  return sizes.join(', ');
}

function print(results: readonly Measured[], authorizerPrice: string | undefined, sizes: string) {
  console.log(
    `\ncost per operation (each run alone, ${REPEATS} times from one client, sign-ups ${SIGN_UPS}; every function's log lines of its window, scheduled functions aside)`,
  );
  console.log(
    `  operation        |  API | Lambda |   GB-s x1000 | DDB read / write units |   SQS |  SNS | ${'other requests'.padEnd(34)} | log KB | $ per million`,
  );
  for (const { operation, count, tallied, usage } of results) {
    const byService = requestsByService(tallied, count);
    const other = Object.entries(byService)
      .filter(([service]) => !['DynamoDB', 'SQS', 'SNS'].includes(service))
      .map(([service, n]) => `${service.replace('CognitoIdentityProvider', 'Cognito')} ${fixed(n, 1)}`)
      .join(', ');
    const price = dollarsPerMillion(usage);
    console.log(
      `  ${operation.name.padEnd(16)} | ${cell(fixed(usage.apiRequests, 0), 4)} | ${cell(fixed(usage.lambdaInvocations, 2), 6)} | ${cell(fixed(usage.lambdaGbSeconds * 1000, 2), 12)} | ${cell(`${fixed(usage.dynamoReadUnits, 2)} / ${fixed(usage.dynamoWriteUnits, 2)}`, 22)} | ${cell(fixed(usage.sqsRequests, 2), 5)} | ${cell(fixed(usage.snsRequests, 2), 4)} | ${(other || '-').padEnd(34)} | ${cell(fixed(usage.logBytes / 1024, 2), 6)} | ${cell(`$${fixed(price.total, 2)}`, 8)}`,
    );
  }
  console.log('\n  $ per million operations, by what is paid for');
  console.log('  operation        | API Gateway | Lambda  | DynamoDB | SQS     | SNS     | Logs    | total');
  for (const { operation, usage } of results) {
    const p = dollarsPerMillion(usage);
    console.log(
      `  ${operation.name.padEnd(16)} | ${[p.apiGateway, p.lambda, p.dynamoDb, p.sqs, p.sns, p.logs, p.total]
        .map((v, i) => cell(`$${fixed(v, 2)}`, i === 0 ? 11 : i === 6 ? 7 : 7))
        .join(' | ')}`,
    );
  }
  console.log(
    '\n  each operation in detail (per operation: requests by action; functions run, billed ms and memory)',
  );
  for (const { operation, count, tallied } of results) {
    const requests = Object.entries(tallied.requests)
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([key, n]) => `${key} ${fixed(n / count, 2)}`)
      .join(', ');
    const functions = Object.entries(tallied.functions)
      .map(
        ([name, f]) =>
          `${name} ${fixed(f.invocations / count, 2)} x ${fixed(f.billedMs / f.invocations, 0)} ms @ ${f.memoryMb} MB`,
      )
      .join(', ');
    console.log(`  ${operation.name}: ${requests || 'no AWS requests'}`);
    console.log(`    ${functions}`);
    console.log(
      `    DynamoDB read units: ${fixed(tallied.dynamo.readUnits / count, 2)} from item sizes, ${fixed(tallied.dynamo.reportedReadUnits / count, 2)} as the emulator reported them`,
    );
  }
  if (authorizerPrice) console.log(`\n  ${authorizerPrice}`);
  console.log(`  items in the tables after the runs (a scan reads them all): ${sizes}`);
  console.log(
    `\n  prices: us-east-1 on-demand, recorded ${PRICES.recorded} (test/bench/prices.ts): ${PRICE_SOURCES.join(' ')}`,
  );
  console.log(
    `  counted, not priced per request: ${Object.entries(NOT_PRICED_PER_REQUEST)
      .map(([service, why]) => `${service} (${why})`)
      .join('; ')}`,
  );
}

export async function costBench(deployment: Deployment, check: (target: string, ok: boolean) => void) {
  const requestHandler = { requestTimeout: 30_000, connectionTimeout: 5_000 };
  const logs = new CloudWatchLogsClient({ requestHandler });
  const lambda = new LambdaClient({ requestHandler });
  const ops = await operations(deployment, lambda);
  const groups = await logGroups(deployment, lambda, logs);
  // Warm every function first (and let what that starts finish): a cold start is not the steady price.
  const warmStarted = Date.now();
  for (const op of ops) await op.run(-1);
  await quiet(
    logs,
    groups.filter((g) => !g.fn?.scheduled),
    warmStarted,
    Date.now(),
    (PENDING_GRACE_SECONDS + 2) * 1000,
  );

  const results: Measured[] = [];
  for (const op of ops) {
    process.stderr.write(`  [cost] ${new Date().toISOString().slice(11, 19)} ${op.name}\n`);
    results.push(await measure(logs, groups, op));
  }
  // The authorizer caches its decision per token for RIGHTS_CACHE_SECONDS: what one more run of it costs.
  const authorizerRuns = results.flatMap(({ tallied }) =>
    Object.entries(tallied.functions).filter(([name]) => name === AUTHORIZER),
  );
  const invocations = authorizerRuns.reduce((sum, [, f]) => sum + f.invocations, 0);
  const gbSeconds = authorizerRuns.reduce((sum, [, f]) => sum + f.gbSeconds, 0);
  const authorizerPrice =
    invocations > 0
      ? `the token authorizer runs once per token per ${RIGHTS_CACHE_SECONDS} s (its cached decision): a signed-in request after a longer pause adds $${fixed(dollarsPerMillion({ ...usagePerOperation(tally([]), 1, 0), lambdaInvocations: 1, lambdaGbSeconds: gbSeconds / invocations }).total, 2)} per million`
      : undefined;
  print(results, authorizerPrice, await tableSizes(deployment));
  check(
    'cost: every operation was counted (each shows Lambda invocations and AWS requests)',
    results.every((r) => r.usage.lambdaInvocations > 0 && Object.keys(r.tallied.requests).length > 0),
  );
}
