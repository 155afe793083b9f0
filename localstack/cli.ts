/**
 * Local stack commands (see `npm run` in package.json):
 *   up       install what is missing, start MiniStack, deploy, print the API URL; Ctrl-C stops it (npm start)
 *   install  install the pinned MiniStack into localstack/.venv
 *   start    start MiniStack in the background      stop   stop it
 *   deploy   deploy the app to the running stack    reset  wipe every resource in it
 * LOCAL_STACK_PORT picks the port (default 4566). With AWS_ENDPOINT_URL set,
 * `up` and `deploy` use that endpoint (LocalStack, MiniStack in Docker) instead.
 */
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { type Deployment, liveFeedUrl } from '../lib/stack-outputs.js';
import { deployLocal, LOCAL_DEPLOYMENT_FILE } from './deploy.js';
import { ensureMinistack, resetMinistack, STATE_DIR, startMinistack, stopProcessGroup } from './ministack.js';

// The SDK warns that Node 20 support ends in 2027; the local Lambdas run on this Node, so say it once in the README instead.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

const BACKGROUND_FILE = path.join(STATE_DIR, 'background.json');
const port = Number(process.env.LOCAL_STACK_PORT ?? 4566);

interface Background {
  pid: number;
  endpoint: string;
}

function printWelcome(deployment: Deployment, seconds: number): void {
  const api = deployment.apiBaseUrl;
  console.log(`
Deployed in ${seconds.toFixed(1)} s. The API answers at:

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

function runningEndpoint(): string {
  if (process.env.AWS_ENDPOINT_URL) return process.env.AWS_ENDPOINT_URL;
  if (existsSync(BACKGROUND_FILE)) {
    return (JSON.parse(readFileSync(BACKGROUND_FILE, 'utf8')) as Background).endpoint;
  }
  if (existsSync(LOCAL_DEPLOYMENT_FILE)) {
    const { endpoint } = JSON.parse(readFileSync(LOCAL_DEPLOYMENT_FILE, 'utf8')) as Deployment;
    if (endpoint) return endpoint;
  }
  throw new Error('No local stack is running: start one with `npm start` or `npm run stack:start`.');
}

async function up(): Promise<void> {
  const started = Date.now();
  if (process.env.AWS_ENDPOINT_URL) {
    const deployment = await deployLocal({
      endpoint: process.env.AWS_ENDPOINT_URL,
      deploymentFile: LOCAL_DEPLOYMENT_FILE,
    });
    printWelcome(deployment, (Date.now() - started) / 1000);
    return;
  }
  const stack = await startMinistack({ port });
  const stop = async (signal: string) => {
    console.log(`\n[stack] ${signal}: stopping the local stack ...`);
    await stack.stop();
    rmSync(LOCAL_DEPLOYMENT_FILE, { force: true });
    console.log('[stack] stopped');
    process.exit(0);
  };
  process.once('SIGINT', () => void stop('Ctrl-C'));
  process.once('SIGTERM', () => void stop('SIGTERM'));
  try {
    const deployment = await deployLocal({ endpoint: stack.endpoint, deploymentFile: LOCAL_DEPLOYMENT_FILE });
    printWelcome(deployment, (Date.now() - started) / 1000);
    console.log(
      `The local stack runs until Ctrl-C (its log: ${path.relative(process.cwd(), stack.logFile)}).`,
    );
  } catch (error) {
    await stack.stop();
    throw error;
  }
  await new Promise(() => {}); // until a signal arrives
}

const commands: Record<string, () => Promise<void>> = {
  up,
  install: async () => {
    console.log(`[stack] MiniStack ready at ${ensureMinistack()}`);
  },
  start: async () => {
    const stack = await startMinistack({ port, detached: true });
    writeFileSync(
      BACKGROUND_FILE,
      JSON.stringify({ pid: stack.pid, endpoint: stack.endpoint } satisfies Background),
    );
    console.log(`[stack] running in the background on ${stack.endpoint}; stop it with npm run stack:stop`);
    process.exit(0);
  },
  stop: async () => {
    if (!existsSync(BACKGROUND_FILE)) {
      console.log('[stack] no background stack recorded');
      return;
    }
    const { pid, endpoint } = JSON.parse(readFileSync(BACKGROUND_FILE, 'utf8')) as Background;
    await stopProcessGroup(pid);
    rmSync(BACKGROUND_FILE, { force: true });
    rmSync(LOCAL_DEPLOYMENT_FILE, { force: true });
    console.log(`[stack] stopped the stack on ${endpoint}`);
  },
  reset: async () => {
    const endpoint = runningEndpoint();
    await resetMinistack(endpoint);
    rmSync(LOCAL_DEPLOYMENT_FILE, { force: true });
    console.log(`[stack] every resource in ${endpoint} was removed; deploy again with npm run stack:deploy`);
  },
  deploy: async () => {
    const started = Date.now();
    const deployment = await deployLocal({
      endpoint: runningEndpoint(),
      deploymentFile: LOCAL_DEPLOYMENT_FILE,
    });
    printWelcome(deployment, (Date.now() - started) / 1000);
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
