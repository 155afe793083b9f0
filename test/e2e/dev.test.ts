import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, stackDirs } from '../../localstack/ministack.js';
import { cloneProject } from '../support/clone-project.js';
import { waitFor as waitForCondition } from '../support/wait-for.js';

/**
 * `npm run dev` in a copy of the project (so edits never touch this checkout),
 * on its own local stack and port, deployed with the bench's no-op route.
 */
const clone = mkdtempSync(path.join(tmpdir(), 'dev-e2e-'));
const noopFile = path.join(clone, 'functions', 'bench', 'noop.ts');
/** Domain code of a full HTTP function, which the CDK app also imports (its response schema). */
const downcaseFile = path.join(clone, 'functions', 'downcase', 'domain', 'downcase.ts');
let dev: ChildProcess;
let output = '';
/**
 * How long an edit the CDK app reads may take to serve, and its synth to finish: the synth builds
 * every function bundle again (a file under functions/ changed), about 3 s alone and well over a
 * minute while every e2e project runs beside it.
 */
const SYNTH_WAIT = { timeoutMs: 180_000 };
let apiBaseUrl = '';
let port = 0;

/** Waits as support's waitFor does, and shows what `npm run dev` printed if the wait fails. */
async function waitFor<T>(
  what: string,
  probe: () => Promise<T | undefined>,
  options?: { timeoutMs?: number; intervalMs?: number },
) {
  try {
    return await waitForCondition(what, probe, options);
  } catch (error) {
    throw new Error(
      `${(error as Error).message}\nnpm run dev printed:\n${output
        .split('\n')
        .filter((l) => l.startsWith('[dev]'))
        .join('\n')}`,
    );
  }
}

const setVersion = (source: string, version: string) =>
  source.replace(/const VERSION = '[^']*';/, `const VERSION = '${version}';`);

async function noopVersion(): Promise<string | undefined> {
  const response = await fetch(`${apiBaseUrl}bench/noop`);
  return response.status === 200 ? ((await response.json()) as { version: string }).version : undefined;
}

beforeAll(async () => {
  cloneProject(clone);
  writeFileSync(noopFile, setVersion(readFileSync(noopFile, 'utf8'), 'before-edit'));
  port = await freePort();
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    LOCAL_STACK_PORT: String(port),
    LOCAL_DEPLOYMENT_FILE: path.join(clone, 'deployment.json'),
  };
  delete env.AWS_ENDPOINT_URL; // its own embedded stack, whatever this shell points at
  // As package.json runs it: one Node process (tsx's own CLI would put a second one in front).
  dev = spawn(process.execPath, ['--import', 'tsx', 'localstack/cli.ts', 'dev', '--context', 'bench=true'], {
    cwd: clone,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  dev.stdout?.on('data', (chunk: Buffer) => {
    output += chunk.toString('utf8');
  });
  dev.stderr?.on('data', (chunk: Buffer) => {
    output += chunk.toString('utf8');
  });
  apiBaseUrl = await waitFor(
    'npm run dev to deploy and watch',
    async () => {
      if (dev.exitCode !== null) throw new Error(`npm run dev exited (${dev.exitCode}):\n${output}`);
      return /\[dev\] serving (\S+)/.exec(output)?.[1];
    },
    { timeoutMs: 280_000, intervalMs: 250 },
  );
});

afterAll(async () => {
  if (dev && dev.exitCode === null) {
    const exited = new Promise((resolve) => dev.once('exit', resolve));
    dev.kill('SIGTERM');
    await exited;
  }
  rmSync(clone, { recursive: true, force: true });
});

describe('npm run dev', () => {
  it('serves an edited handler without a deploy', async () => {
    expect(await noopVersion()).toBe('before-edit');
    const deploysBefore = output.split('[deploy] deploying').length;
    writeFileSync(noopFile, setVersion(readFileSync(noopFile, 'utf8'), 'after-edit'));
    await waitFor('the edited handler to answer', async () =>
      (await noopVersion()) === 'after-edit' ? true : undefined,
    );
    await waitFor('the update to be reported', async () =>
      /\[dev\] updated bench-noop \(1 function\)/.test(output) ? true : undefined,
    );
    expect(output.split('[deploy] deploying').length).toBe(deploysBefore);
  });

  it('reports a syntax error and keeps the previous code serving', async () => {
    const good = readFileSync(noopFile, 'utf8');
    const serving = await noopVersion();
    writeFileSync(noopFile, `${setVersion(good, 'broken')}\nexport const broken = ;\n`);
    await waitFor('the build error to be reported', async () =>
      /\[dev\] ERROR functions\/bench\/noop\.ts:\d+:\d+: /.test(output) ? true : undefined,
    );
    expect(output).toContain('the previous code keeps serving');
    expect(await noopVersion()).toBe(serving);

    writeFileSync(noopFile, setVersion(good, 'fixed'));
    await waitFor('the fixed handler to answer', async () =>
      (await noopVersion()) === 'fixed' ? true : undefined,
    );
  });

  it('serves an edit to domain code the CDK app also reads, and deploys nothing when only code changed', {
    timeout: 2 * SYNTH_WAIT.timeoutMs,
  }, async () => {
    const deploysBefore = output.split('[deploy] deploying').length;
    const source = readFileSync(downcaseFile, 'utf8');
    const edited = source.replace(/`lower case of \$/, '`lower case (edited) of $$');
    expect(edited).not.toBe(source);
    writeFileSync(downcaseFile, edited);
    await waitFor(
      'the edited downcase to answer',
      async () => {
        const response = await fetch(`${apiBaseUrl}downcase?param=Dev`);
        const body = (await response.json()) as { message?: string };
        return body.message === 'lower case (edited) of Dev is dev' ? true : undefined;
      },
      SYNTH_WAIT,
    );
    await waitFor(
      'the synth to find the infrastructure unchanged',
      async () => (/\[dev\] infrastructure unchanged: no deploy needed/.test(output) ? true : undefined),
      SYNTH_WAIT,
    );
    expect(output.split('[deploy] deploying').length).toBe(deploysBefore);
  });

  it('leaves no stack data and no unpacked worker code once stopped', async () => {
    const dirs = stackDirs(port, path.join(clone, 'localstack', '.state'));
    expect(readdirSync(dirs.tempDir).some((name) => name.startsWith('ministack-lambda-'))).toBe(true);
    expect(existsSync(dirs.stateDir)).toBe(true);
    const exited = new Promise((resolve) => dev.once('exit', resolve));
    dev.kill('SIGTERM');
    await exited;
    expect(Object.values(dirs).filter((dir) => existsSync(dir))).toEqual([]);
  });
});
