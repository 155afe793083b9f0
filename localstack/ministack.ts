/**
 * Installs, starts and stops the embedded local stack: MiniStack, pinned,
 * from PyPI into a virtualenv under localstack/.venv. No Docker needed.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { MetricsAgent } from './metrics-agent/index.js';
import { ensurePythonSet } from './python-env.mjs';

export const LOCALSTACK_DIR = path.dirname(fileURLToPath(import.meta.url));
export const STATE_DIR = path.join(LOCALSTACK_DIR, '.state');

export type Log = (line: string) => void;

/** Installs the pinned MiniStack into localstack/.venv unless it is already there; returns its command. */
export function ensureMinistack(log: Log = console.log): string {
  return ensurePythonSet('stack', log);
}

/** Installs the pinned Schemathesis (the e2e fuzz tier's) into localstack/.venv unless it is there; returns its command. */
export function ensureSchemathesis(log: Log = console.log): string {
  return ensurePythonSet('test-tools', log);
}

/** A port on 127.0.0.1 that nothing listens on right now. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject()));
    });
  });
}

async function portIsFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

export interface RunningStack {
  endpoint: string;
  port: number;
  pid: number;
  logFile: string;
  /** Stops the metrics agent, MiniStack and every Lambda worker it started. */
  stop(): Promise<void>;
}

export interface StartOptions {
  port: number;
  log?: Log;
  /** Keep running after this process exits (for `npm run stack:start`). */
  detached?: boolean;
}

/**
 * The folders a MiniStack on `port` keeps its data in (S3 objects, signing
 * keys; under `stateRoot`, the project's localstack/.state), and its temp
 * folder, where it unpacks each Lambda worker's code and leaves it after the
 * worker ends. The temp folder is outside the project: code unpacked under
 * it would find the project's package.json (`"type": "module"`), and Node
 * would then refuse the CommonJS bundles.
 */
export function stackDirs(port: number, stateRoot = STATE_DIR) {
  return {
    s3Dir: path.join(stateRoot, `s3-${port}`),
    stateDir: path.join(stateRoot, `ministack-${port}`),
    tempDir: path.join(tmpdir(), `microservices-stack-${port}`),
  };
}

/** What a deploy to the stack on `port` writes (localstack/deploy.ts): the cloud assembly and the raw outputs. */
export function deployFiles(port: number | string) {
  return {
    assembly: path.join(STATE_DIR, `cdk.out-${port}`),
    outputs: path.join(STATE_DIR, `cdk-outputs-${port}.json`),
  };
}

/** Removes what a stopped MiniStack on `port` and deploys to it kept (its log stays, for a look after a failure). */
export function removeStackDirs(port: number): void {
  for (const file of [...Object.values(stackDirs(port)), ...Object.values(deployFiles(port))])
    rmSync(file, { recursive: true, force: true, maxRetries: 5 });
}

/** The endpoint of the embedded stack on `port`. */
export const localEndpoint = (port: number) => `http://localhost:${port}`;

/** Starts MiniStack on 127.0.0.1:<port> and resolves once it answers its health check. */
export async function startMinistack({
  port,
  log = console.log,
  detached = false,
}: StartOptions): Promise<RunningStack> {
  const bin = ensureMinistack(log);
  if (!(await portIsFree(port))) {
    throw new Error(
      `Port ${port} is already in use, so the local stack cannot start there.\n` +
        `  Stop whatever listens on it (npm run stack:stop, if it is ours), or choose another port: LOCAL_STACK_PORT=4567 npm start`,
    );
  }
  const { s3Dir, stateDir, tempDir } = stackDirs(port);
  mkdirSync(STATE_DIR, { recursive: true });
  rmSync(tempDir, { recursive: true, force: true });
  mkdirSync(tempDir, { recursive: true });
  const logFile = path.join(STATE_DIR, `ministack-${port}.log`);
  const out = openSync(logFile, 'w');
  // MiniStack through localstack/ministack_launch.py: the same server, with alarms evaluated as
  // CloudWatch evaluates them (their dimensions, one statistic per period, missing data).
  const python = path.join(path.dirname(bin), 'python');
  const child = spawn(python, [path.join(LOCALSTACK_DIR, 'ministack_launch.py')], {
    detached: true, // own process group, so stop() also ends the Lambda workers
    stdio: ['ignore', out, out],
    env: {
      ...process.env,
      GATEWAY_PORT: String(port),
      BIND_HOST: '127.0.0.1',
      MINISTACK_REGION: 'us-east-1',
      S3_DATA_DIR: s3Dir,
      // Where MiniStack keeps its Cognito signing keys; one per instance.
      STATE_DIR: stateDir,
      TMPDIR: tempDir,
      LOG_LEVEL: 'WARNING',
      // Lambda tells every function how its environment started; MiniStack does not, and its workers
      // inherit its environment: so Powertools Metrics counts cold starts (ColdStart) here as on AWS.
      AWS_LAMBDA_INITIALIZATION_TYPE: 'on-demand',
    },
  });
  closeSync(out);
  const pid = child.pid ?? 0;
  // The stack is in its own process group, which this process's signals do not reach: end it
  // when this process ends, however it ends (vitest, for one, exits on Ctrl-C without teardown).
  const killOnExit = () => {
    killGroup(pid, 'SIGKILL');
    removeStackDirs(port);
  };
  if (detached) child.unref();
  else process.on('exit', killOnExit);
  const endpoint = localEndpoint(port);
  const started = Date.now();
  log(`[stack] starting MiniStack on ${endpoint} ...`);
  let agent: MetricsAgent | undefined;
  const stop = async () => {
    await agent?.stop();
    await stopProcessGroup(pid);
    process.off('exit', killOnExit);
    removeStackDirs(port);
  };
  try {
    await waitHealthy(endpoint, child, logFile);
  } catch (error) {
    await stop();
    throw error;
  }
  log(`[stack] MiniStack answering after ${((Date.now() - started) / 1000).toFixed(1)} s`);
  // What CloudWatch does by itself on AWS (EMF lines -> metrics, SQS queue depths), for as long as
  // this stack runs: in this process, or, for a detached stack, in a process of its own that ends with it.
  if (detached) {
    const agentLog = openSync(logFile, 'a');
    spawn(
      process.execPath,
      ['--import', 'tsx', path.join(LOCALSTACK_DIR, 'metrics-agent', 'main.ts'), endpoint, String(pid)],
      {
        cwd: path.dirname(LOCALSTACK_DIR),
        detached: true,
        stdio: ['ignore', agentLog, agentLog],
      },
    ).unref();
    closeSync(agentLog);
  } else {
    const { startMetricsAgent } = await import('./metrics-agent/index.js');
    // Its lines (failures only) go to stderr: the caller's log may be kept only until the stack is up.
    agent = startMetricsAgent(endpoint, (line) => console.error(line));
  }
  return { endpoint, port, pid, logFile, stop };
}

async function waitHealthy(endpoint: string, child: ChildProcess, logFile: string): Promise<void> {
  const deadline = Date.now() + 60_000;
  let exited: number | null = null;
  child.once('exit', (code) => {
    exited = code ?? -1;
  });
  while (Date.now() < deadline) {
    if (exited !== null) {
      throw new Error(`MiniStack exited (code ${exited}) before answering. Its log:\n${tail(logFile)}`);
    }
    try {
      const response = await fetch(`${endpoint}/_ministack/health`, { signal: AbortSignal.timeout(2_000) });
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`MiniStack did not answer within 60 s. Its log:\n${tail(logFile)}`);
}

function tail(file: string, lines = 30): string {
  return existsSync(file) ? readFileSync(file, 'utf8').split('\n').slice(-lines).join('\n') : '(no log)';
}

/** Sends a signal to a whole process group (0: none, only asks whether it has a member); false if there is none. */
function killGroup(pid: number, signal: NodeJS.Signals | 0): boolean {
  if (pid <= 0) return false;
  try {
    process.kill(-pid, signal);
    return true;
  } catch {
    return false;
  }
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** SIGTERM to the whole process group, then SIGKILL to what is left; returns once the group is gone (or 7 s). */
export async function stopProcessGroup(pid: number): Promise<void> {
  if (!killGroup(pid, 'SIGTERM')) return;
  // The whole group, not just the leader: a process still shutting down may be writing into the
  // folders that are removed next. (Polled: this process reaps its child, the leader, in between.)
  const deadline = Date.now() + 5_000;
  while (Date.now() < deadline && killGroup(pid, 0)) await pause(20);
  // Whatever ignored SIGTERM; then wait for it to be gone too (and the port let go).
  killGroup(pid, 'SIGKILL');
  const killed = Date.now() + 2_000;
  while (Date.now() < killed && killGroup(pid, 0)) await pause(20);
}

/** Clears every resource in a running MiniStack (used by `npm run stack:reset`). */
export async function resetMinistack(endpoint: string): Promise<void> {
  const response = await fetch(`${endpoint}/_ministack/reset`, { method: 'POST' });
  if (!response.ok) throw new Error(`reset failed: HTTP ${response.status}`);
}
