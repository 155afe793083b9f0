/**
 * Starting up, measured the way a developer starts: `npm start` as a child
 * process (from nothing running to the API answering, with the phase line it
 * prints), a fresh clone with every install, the first request each HTTP
 * function answers after a cold start beside the no-op's, and the whole test
 * suite's time.
 */
import { type ChildProcess, execFileSync, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import {
  GetFunctionConfigurationCommand,
  LambdaClient,
  UpdateFunctionConfigurationCommand,
  waitUntilFunctionUpdatedV2,
} from '@aws-sdk/client-lambda';
import type { FunctionBundle } from '../../lib/bundles/registry.js';
import { PROJECT_ROOT } from '../../lib/project-root.js';
import type { Deployment } from '../../lib/stack-outputs.js';
import { deployedFunctions } from '../../localstack/dev/code-update.js';
import { freePort, STATE_DIR } from '../../localstack/ministack.js';
import { PASSWORD } from '../support/people.js';
import { benchPerson } from './people.js';

type Check = (target: string, ok: boolean) => void;

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
const MAX_START_MS = 12_000;
const MAX_FRESH_CLONE_MS = 60_000;
const MAX_TEST_SUITE_MS = 8 * 60_000;

/** A running `npm start`: its deployment, how long it took to answer, and the phase line it printed. */
export interface NpmStart {
  deployment: Deployment;
  startToServingMs: number;
  phases: string;
  /** The lines `npm start` printed before its first answer whose tag matches (e.g. `[setup]`). */
  lines: (tag: string) => string[];
  stop(): Promise<void>;
}

/**
 * Runs `npm start -- --context bench=true` in `dir` on a free port and
 * resolves once it prints that it serves (it waits for the API's first
 * answer before saying so). `stop()` sends SIGTERM, which stops its stack.
 */
export async function npmStart(dir: string, timeoutMs = 180_000): Promise<NpmStart> {
  const deploymentFile = path.join(mkdtempSync(path.join(tmpdir(), 'bench-start-')), 'deployment.json');
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    LOCAL_STACK_PORT: String(await freePort()),
    LOCAL_DEPLOYMENT_FILE: deploymentFile,
  };
  delete env.AWS_ENDPOINT_URL; // its own embedded stack, whatever this shell points at
  const started = Date.now();
  const child: ChildProcess = spawn('npm', ['start', '--', '--context', 'bench=true'], {
    cwd: dir,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true, // own process group: npm, tsx and the stack stop together
  });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    output += chunk.toString('utf8');
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    output += chunk.toString('utf8');
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const stop = async () => {
    if (child.exitCode === null && child.pid) process.kill(-child.pid, 'SIGTERM');
    await exited;
    rmSync(path.dirname(deploymentFile), { recursive: true, force: true });
  };
  const deadline = started + timeoutMs;
  for (;;) {
    const serving = /\[start\] serving after .*/.exec(output);
    if (serving && existsSync(deploymentFile)) {
      const startToServingMs = Date.now() - started;
      const deployment = JSON.parse(readFileSync(deploymentFile, 'utf8')) as Deployment;
      const lines = (tag: string) => output.split('\n').filter((line) => line.startsWith(tag));
      return { deployment, startToServingMs, phases: serving[0], lines, stop };
    }
    if (child.exitCode !== null || Date.now() > deadline) {
      await stop();
      throw new Error(`npm start did not serve (exit ${child.exitCode}):\n${output.slice(-3000)}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/**
 * Prints and checks `npm start`'s time to serving (installs already done):
 * the first start after an edit (every bundle built by it), which the target
 * is about, and a start with the bundles of an earlier one reused.
 */
export function reportStart(afterEdit: NpmStart, again: NpmStart, check: Check): void {
  console.log(`npm start, nothing running -> the API answering (target < ${seconds(MAX_START_MS)}):`);
  console.log(`  after an edit (every bundle built): ${seconds(afterEdit.startToServingMs)}`);
  console.log(`    ${afterEdit.phases}`);
  console.log(`  again (bundles reused):             ${seconds(again.startToServingMs)}`);
  console.log(`    ${again.phases}`);
  console.log('  (the rest is npm, its pre-start dependency check and the CLI starting)');
  check(
    `npm start to serving under ${seconds(MAX_START_MS)} (after an edit)`,
    afterEdit.startToServingMs < MAX_START_MS,
  );
}

/**
 * A fresh clone of this commit, then `npm start` in it: npm packages and
 * MiniStack installed by the commands themselves, as a newcomer would. The
 * npm and pip caches of this machine are used, as they would be on a
 * developer's machine that has installed anything before.
 */
export async function freshCloneBench(check: Check): Promise<void> {
  const dir = mkdtempSync(path.join(tmpdir(), 'bench-clone-'));
  try {
    const started = Date.now();
    execFileSync('git', ['clone', '--quiet', '--no-hardlinks', PROJECT_ROOT, dir]);
    const cloneMs = Date.now() - started;
    const start = await npmStart(dir, 600_000);
    await start.stop();
    const totalMs = cloneMs + start.startToServingMs;
    console.log(
      `\nfresh clone -> the API answering, every install included: ${seconds(totalMs)} (target < ${seconds(MAX_FRESH_CLONE_MS)})`,
    );
    console.log(`  git clone ${seconds(cloneMs)}`);
    for (const line of [...start.lines('[setup]'), ...start.lines('[stack] installing')])
      console.log(`  ${line}`);
    console.log(`  npm start, installs included: ${seconds(start.startToServingMs)}`);
    console.log(`  ${start.phases}`);
    check(`fresh clone to serving under ${seconds(MAX_FRESH_CLONE_MS)}`, totalMs < MAX_FRESH_CLONE_MS);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** One request per HTTP function: what it calls, and as whom. */
const FIRST_REQUESTS: ReadonlyArray<{
  bundle: FunctionBundle;
  method: 'GET' | 'POST';
  path: string;
  signedIn?: boolean;
  login?: boolean;
}> = [
  { bundle: 'bench-noop', method: 'GET', path: 'bench/noop' },
  { bundle: 'downcase', method: 'GET', path: 'downcase?param=Cold' },
  { bundle: 'docs', method: 'GET', path: 'openapi.json' },
  { bundle: 'console', method: 'GET', path: 'console' },
  { bundle: 'search', method: 'GET', path: 'search?lat=48.85&lng=2.35' },
  { bundle: 'auth', method: 'POST', path: 'auth/login', login: true },
  { bundle: 'tasks', method: 'GET', path: 'tasks', signedIn: true },
  { bundle: 'users', method: 'GET', path: 'users/me', signedIn: true },
  { bundle: 'movies', method: 'GET', path: 'movies' },
  { bundle: 'bookings', method: 'GET', path: 'bookings', signedIn: true },
];

/**
 * Each HTTP function's first request after a cold start (a configuration
 * update makes the emulator start a new worker, as after a fresh deploy),
 * and its next, warm one; the no-op's first request is the floor.
 */
export async function firstRequestBench(deployment: Deployment): Promise<void> {
  const endpoint = deployment.endpoint ?? '';
  const lambda = new LambdaClient({});
  const functions = await deployedFunctions(endpoint);
  const person = await benchPerson(deployment);
  const timeOne = async ({ method, path: route, signedIn, login }: (typeof FIRST_REQUESTS)[number]) => {
    const started = performance.now();
    const response = await fetch(`${deployment.apiBaseUrl}${route}`, {
      method,
      headers: {
        ...(signedIn ? { authorization: `Bearer ${person.accessToken}` } : {}),
        ...(login ? { 'content-type': 'application/json' } : {}),
      },
      body: login ? JSON.stringify({ email: person.email, password: PASSWORD }) : undefined,
    });
    await response.arrayBuffer();
    const ms = performance.now() - started;
    if (response.status >= 300) throw new Error(`${method} ${route} answered ${response.status}`);
    return ms;
  };
  // The token authorizer warm, so a signed-in route's first request is its own cold start only.
  await fetch(`${deployment.apiBaseUrl}bench/noop/signed-in`, {
    headers: { authorization: `Bearer ${person.accessToken}` },
  });
  console.log('\nfirst request after a cold start, per HTTP function (then the next, warm one)');
  console.log('  function      | first     | warm     | first - warm | vs no-op first');
  let noopFirst = 0;
  for (const request of FIRST_REQUESTS) {
    for (const FunctionName of functions.get(request.bundle) ?? []) {
      // Setting the timeout it already has changes nothing but retires the warm workers.
      const { Timeout } = await lambda.send(new GetFunctionConfigurationCommand({ FunctionName }));
      await lambda.send(new UpdateFunctionConfigurationCommand({ FunctionName, Timeout }));
      await waitUntilFunctionUpdatedV2({ client: lambda, maxWaitTime: 30 }, { FunctionName });
    }
    const first = await timeOne(request);
    const warm = await timeOne(request);
    if (request.bundle === 'bench-noop') noopFirst = first;
    console.log(
      `  ${request.bundle.padEnd(13)} | ${first.toFixed(0).padStart(6)} ms | ${warm.toFixed(0).padStart(5)} ms | ${(first - warm).toFixed(0).padStart(9)} ms | ${(first / noopFirst).toFixed(2)}x`,
    );
  }
  lambda.destroy();
}

/** The environment the bench started with, before its sections pointed the SDK at their stack. */
const STARTING_ENV: NodeJS.ProcessEnv = { ...process.env };

/** The whole test suite (`npm test`, as CI runs it), timed; run with no stack of the bench's up. */
export function testSuiteBench(check: Check): void {
  const log = path.join(STATE_DIR, 'bench-npm-test.log');
  const started = Date.now();
  const result = spawnSync('npm', ['test'], {
    cwd: PROJECT_ROOT,
    // As CI runs it: none of the bench's stack settings (endpoint, skipped validation) leak in.
    env: { ...STARTING_ENV, CI: 'true' },
    encoding: 'utf8',
    maxBuffer: 256 * 1024 * 1024,
  });
  const ms = Date.now() - started;
  writeFileSync(log, `${result.stdout}\n${result.stderr}`);
  const ok = result.status === 0;
  console.log(
    `\nnpm test (typecheck, lint, unit, infra, e2e with fuzz and browser tiers): ${seconds(ms)}${ok ? '' : ` (FAILED, see ${path.relative(PROJECT_ROOT, log)})`} (target < 8 min)`,
  );
  check('npm test passes in under 8 min', ok && ms < MAX_TEST_SUITE_MS);
}
