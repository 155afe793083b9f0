/**
 * Local stack commands (see `npm run` in package.json):
 *   up       install what is missing, start MiniStack, deploy, print the API URL; Ctrl-C stops it (npm start)
 *   dev      `up`, then follow code changes: changed functions get their new code in place (npm run dev)
 *   install  install the pinned MiniStack (and Schemathesis, for the tests) into localstack/.venv
 *   start    start MiniStack in the background      stop   stop it
 *   deploy   deploy the app to the running stack    reset  wipe every resource in it
 * LOCAL_STACK_PORT picks the port (default 4566). With AWS_ENDPOINT_URL set,
 * `up` and `deploy` use that endpoint (LocalStack, MiniStack in Docker) instead.
 * `--context key=value` (repeatable) passes CDK context to the deploy, e.g. `--context bench=true`.
 * LOCAL_DEPLOYMENT_FILE moves the deployment description (default localstack/.state/deployment.json).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { type Deployment, liveFeedUrl, STACK_NAME } from '../lib/stack-outputs.js';
import {
  assemblyDirectory,
  type DeployPhases,
  deployLocal,
  LOCAL_DEPLOYMENT_FILE,
  synthTemplate,
} from './deploy.js';
import type { DevWatcher } from './dev/index.js';
import {
  ensureMinistack,
  ensureSchemathesis,
  localEndpoint,
  type RunningStack,
  removeStackDirs,
  resetMinistack,
  STATE_DIR,
  startMinistack,
  stopProcessGroup,
} from './ministack.js';

// The SDK warns that Node 20 support ends in 2027; the local Lambdas run on this Node, so say it once in the README instead.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

const BACKGROUND_FILE = path.join(STATE_DIR, 'background.json');
const port = Number(process.env.LOCAL_STACK_PORT ?? 4566);
const deploymentFile = process.env.LOCAL_DEPLOYMENT_FILE ?? LOCAL_DEPLOYMENT_FILE;

/** `--context key=value` pairs from the command line. */
function contextArgs(argv: readonly string[]): Record<string, string> {
  const context: Record<string, string> = {};
  argv.forEach((arg, i) => {
    const [key, value] = arg === '--context' ? (argv[i + 1] ?? '').split('=') : [];
    if (key && value !== undefined) context[key] = value;
  });
  return context;
}
const context = contextArgs(process.argv.slice(3));

interface Background {
  pid: number;
  endpoint: string;
}

/** Waits until the API answers (its document, which every deployment serves); rejects after a minute. */
async function firstAnswer(api: string): Promise<void> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    try {
      if ((await fetch(`${api}openapi.json`, { signal: AbortSignal.timeout(5_000) })).ok) return;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`${api}openapi.json did not answer within a minute`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** One line saying where the time from `npm start` to the first answer went. */
function phaseLine(
  phases: DeployPhases & { cli?: number; ministack?: number; firstAnswer: number },
  total: number,
): string {
  const parts = [
    phases.cli === undefined ? undefined : `CLI start ${phases.cli.toFixed(1)} s`,
    phases.ministack === undefined ? undefined : `MiniStack ${phases.ministack.toFixed(1)} s`,
    `synth ${phases.synth.toFixed(1)} s` +
      (phases.bootstrap > 0 ? ` (bootstrap beside it ${phases.bootstrap.toFixed(1)} s)` : ''),
    `deploy ${phases.deploy.toFixed(1)} s`,
    `first answer ${phases.firstAnswer.toFixed(1)} s`,
  ];
  return `[start] serving after ${total.toFixed(1)} s: ${parts.filter(Boolean).join(', ')}`;
}

function printWelcome(deployment: Deployment, timing: string): void {
  const api = deployment.apiBaseUrl;
  console.log(`
${timing}

The API answers at:

  ${api}

The web console (sign up there, then tasks, movies, search and the live log feed):

  ${api}console

The live log feed's WebSocket API (connect with ?token=<accessToken>):

  ${liveFeedUrl(deployment.outputs, deployment.endpoint)}

Try it:
  curl '${api}downcase?param=HeLLo'
  curl '${api}downcase'              # 400: query.param is required
  curl -X POST '${api}auth/signup' -H 'content-type: application/json' -d '{"email":"ann@example.com","password":"Corr3ct-horse!","name":"Ann"}'
  curl -X POST '${api}auth/login'  -H 'content-type: application/json' -d '{"email":"ann@example.com","password":"Corr3ct-horse!"}'
  curl '${api}tasks' -H 'authorization: Bearer <accessToken from login>'
  curl '${api}users/me' -H 'authorization: Bearer <accessToken from login>'
  npm run admin -- add ann@example.com   # make Ann an admin (movies, things, users)

The API document: ${api}openapi.json   Swagger UI: ${api}docs

Follow the log feed (in another terminal):
  npm run tail
  npm run tail -- --service downcase --out subscriber.log
`);
}

/** The stack `npm run stack:start` recorded, if any. */
function recordedBackground(): Background | undefined {
  return existsSync(BACKGROUND_FILE)
    ? (JSON.parse(readFileSync(BACKGROUND_FILE, 'utf8')) as Background)
    : undefined;
}

/** Whether `pid` is still a MiniStack: after a reboot a recorded pid may name anything. */
function isMinistack(pid: number): boolean {
  return spawnSync('ps', ['-o', 'command=', '-p', String(pid)], { encoding: 'utf8' }).stdout?.includes(
    'ministack',
  );
}

function runningEndpoint(): string {
  if (process.env.AWS_ENDPOINT_URL) return process.env.AWS_ENDPOINT_URL;
  const background = recordedBackground();
  if (background) return background.endpoint;
  if (existsSync(deploymentFile)) {
    const { endpoint } = JSON.parse(readFileSync(deploymentFile, 'utf8')) as Deployment;
    if (endpoint) return endpoint;
  }
  throw new Error('No local stack is running: start one with `npm start` or `npm run stack:start`.');
}

/** Starts the stack (or uses AWS_ENDPOINT_URL), deploys, and with `dev` follows code changes until Ctrl-C. */
async function up(dev = false): Promise<void> {
  const started = Date.now();
  // Counted from this process's start: loading the CLI (tsx compiling it) is part of what a developer waits for.
  const processStarted = started - process.uptime() * 1000;
  const external = process.env.AWS_ENDPOINT_URL;
  let stack: RunningStack | undefined;
  let watcher: DevWatcher | undefined;
  let stopping = false;
  // Set before the stack starts, so a signal while it starts stops it too. A second signal does not
  // wait for a deploy in progress: exiting ends the stack (startMinistack ends it with this process).
  const stop = async (signal: string) => {
    if (stopping) process.exit(130);
    stopping = true;
    console.log(`\n[stack] ${signal}: stopping${stack ? ' the local stack' : ''} ...`);
    await Promise.race([watcher?.close(), new Promise((resolve) => setTimeout(resolve, 3_000))]);
    if (stack) {
      try {
        await stack.stop();
      } catch (error) {
        console.error(`[stack] stopped, but could not remove all it kept: ${(error as Error).message}`);
        process.exit(1);
      }
      rmSync(deploymentFile, { force: true });
      console.log('[stack] stopped');
    }
    process.exit(0);
  };
  for (const [signal, name] of [
    ['SIGINT', 'Ctrl-C'],
    ['SIGTERM', 'SIGTERM'],
    ['SIGHUP', 'the terminal closed'],
  ] as const)
    process.on(signal, () => void stop(name));
  // The synth needs no stack: it starts beside MiniStack's start, and only the bootstrap and deploy wait for it.
  let ministack: number | undefined;
  const starting = external
    ? undefined
    : startMinistack({ port }).then((running) => {
        stack = running;
        ministack = (Date.now() - started) / 1000;
      });
  const endpoint = external ?? localEndpoint(port);
  const deploy = (stackReady?: Promise<void>) =>
    deployLocal({ endpoint, deploymentFile, context, stackReady });
  try {
    const deployment = await deploy(starting);
    const answerStarted = Date.now();
    await firstAnswer(deployment.apiBaseUrl);
    const firstAnswerSeconds = (Date.now() - answerStarted) / 1000;
    printWelcome(
      deployment,
      phaseLine(
        {
          ...deployment.phases,
          cli: (started - processStarted) / 1000,
          ministack,
          firstAnswer: firstAnswerSeconds,
        },
        (Date.now() - processStarted) / 1000,
      ),
    );
    if (stack) {
      console.log(
        `The local stack runs until Ctrl-C (its log: ${path.relative(process.cwd(), stack.logFile)}).`,
      );
    }
    if (dev) {
      // Loaded here: the watcher brings esbuild and every service declaration, ~0.4 s that `npm start` skips.
      const { watchAndUpdate } = await import('./dev/index.js');
      watcher = await watchAndUpdate({
        endpoint,
        redeploy: async () => {
          await deploy();
        },
        deployedTemplate: () =>
          JSON.parse(
            readFileSync(path.join(assemblyDirectory(endpoint), `${STACK_NAME}.template.json`), 'utf8'),
          ),
        synthTemplate: async () => {
          const outdir = mkdtempSync(path.join(STATE_DIR, 'dev-synth-'));
          try {
            return await synthTemplate(endpoint, outdir, context);
          } finally {
            rmSync(outdir, { recursive: true, force: true });
          }
        },
      });
      console.log(`[dev] serving ${deployment.apiBaseUrl}`);
    }
  } catch (error) {
    await starting?.catch(() => {}); // a synth can fail while MiniStack still starts: stop it once it has
    await stack?.stop();
    throw error;
  }
  if (!stack && !dev) return;
  await new Promise(() => {}); // until a signal arrives
}

const commands: Record<string, () => Promise<void>> = {
  up: () => up(false),
  dev: () => up(true),
  install: async () => {
    console.log(`[stack] MiniStack ready at ${ensureMinistack()}`);
    console.log(`[stack] Schemathesis (for npm test) ready at ${ensureSchemathesis()}`);
  },
  start: async () => {
    const running = recordedBackground();
    if (running && isMinistack(running.pid))
      throw new Error(`A background stack already runs on ${running.endpoint}: npm run stack:stop first.`);
    const stack = await startMinistack({ port, detached: true });
    writeFileSync(
      BACKGROUND_FILE,
      JSON.stringify({ pid: stack.pid, endpoint: stack.endpoint } satisfies Background),
    );
    console.log(`[stack] running in the background on ${stack.endpoint}; stop it with npm run stack:stop`);
    process.exit(0);
  },
  stop: async () => {
    const background = recordedBackground();
    if (!background) {
      console.log('[stack] no background stack recorded');
      return;
    }
    const { pid, endpoint } = background;
    if (isMinistack(pid)) await stopProcessGroup(pid);
    removeStackDirs(Number(new URL(endpoint).port));
    rmSync(BACKGROUND_FILE, { force: true });
    rmSync(deploymentFile, { force: true });
    console.log(`[stack] stopped the stack on ${endpoint}`);
  },
  reset: async () => {
    const endpoint = runningEndpoint();
    await resetMinistack(endpoint);
    rmSync(deploymentFile, { force: true });
    console.log(`[stack] every resource in ${endpoint} was removed; deploy again with npm run stack:deploy`);
  },
  deploy: async () => {
    const started = Date.now();
    const deployment = await deployLocal({ endpoint: runningEndpoint(), deploymentFile, context });
    const answerStarted = Date.now();
    await firstAnswer(deployment.apiBaseUrl);
    printWelcome(
      deployment,
      phaseLine(
        { ...deployment.phases, firstAnswer: (Date.now() - answerStarted) / 1000 },
        (Date.now() - started) / 1000,
      ),
    );
  },
};

const name = process.argv[2] ?? 'up';
const command = commands[name];
if (!command) {
  console.error(`unknown command "${name}"; one of: ${Object.keys(commands).join(', ')}`);
  process.exit(2);
}
command().catch((error: unknown) => {
  console.error(`\n${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
