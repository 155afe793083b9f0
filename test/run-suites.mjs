// `npm test`'s runner: every vitest project, in six vitest processes side by side, after one
// build of the function bundles that every deployment then reuses.
//
// Vitest runs the files of every project that takes turns (fileParallelism: false) in one
// queue, one file at a time, after everything else, and runs every project's global setup (an
// e2e project's deploy) before any file: the unit and infra files would wait for a deploy, and
// the e2e files of projects on stacks of their own for each other, although they share nothing.
// So each runs in a process of its own, its lines prefixed with its projects (`[unit+infra]`,
// `[e2e]`, `[e2e-ops]`, `[e2e-alarms]`, `[e2e-long]`, `[e2e-dev]`). Most of an e2e file's time is spent waiting
// on its stack; the two cores are shared by all of them.
// Arguments (files, -t, projects) run one plain `vitest run` with them instead.
import { spawn } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import { setPriority } from 'node:os';
import * as path from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const vitest = path.join(root, 'node_modules', '.bin', 'vitest');
/** The vitest processes run side by side, each with the projects it runs. */
const PROCESSES = [['unit', 'infra'], ['e2e'], ['e2e-ops'], ['e2e-alarms'], ['e2e-long'], ['e2e-dev']];
/**
 * The process whose files wait on nothing (unit+infra; at the normal priority it ends in about
 * half the run): it runs at a lower priority, so the e2e stacks' deploys and Lambda functions,
 * whose timing the e2e files wait on, get the cores first (three deploys side by side took 47 s
 * instead of 59), and it uses what they leave, ending about when they do. Not so low that it
 * starves: at niceness 10 a build in its bundle tests ran past two minutes. The dev loop's
 * process waits on its own stack's timing, so it keeps the normal priority.
 */
const BACKGROUND = new Set(['unit+infra']);
const BACKGROUND_NICENESS = 5;

/** Where each process's vitest writes its results as JSON, read back for the summary of failures. */
const RESULTS = path.join(root, 'test-output', 'results');
/** The lines of an error kept in the summary: its message and where in the tests it was thrown. */
const ERROR_LINES = 12;

/**
 * Runs vitest with `args`; resolves its exit code. With a prefix, its output goes through line by
 * line. A background run's processes (its test workers and stacks too) have a lower priority.
 */
function run(args, prefix, background = false) {
  return new Promise((resolve) => {
    const results = prefix
      ? ['--reporter=default', '--reporter=json', `--outputFile.json=${resultsFile(prefix)}`]
      : [];
    const child = spawn(vitest, ['run', ...args, ...results], {
      cwd: root,
      stdio: prefix ? ['ignore', 'pipe', 'pipe'] : 'inherit',
    });
    // Set before vitest starts its workers and stacks, which inherit it.
    if (background) setPriority(child.pid, BACKGROUND_NICENESS);
    if (prefix)
      for (const [stream, out] of [
        [child.stdout, process.stdout],
        [child.stderr, process.stderr],
      ])
        createInterface({ input: stream }).on('line', (line) => out.write(`${prefix} ${line}\n`));
    child.on('close', (code, signal) => resolve(code ?? (signal ? 1 : 0)));
  });
}

const resultsFile = (prefix) =>
  path.join(RESULTS, `${prefix.replace(/\W+/g, '-').replace(/^-|-$/g, '')}.json`);

/**
 * Every failed test and file of a run with its error (the first lines): printed again at the end,
 * where CI's log keeps only the tail, so a failure far up in one process's output is never lost.
 */
function failuresOf(prefix) {
  let report;
  try {
    report = JSON.parse(readFileSync(resultsFile(prefix), 'utf8'));
  } catch {
    return [`${prefix} (no results were written)`];
  }
  const shown = (message) =>
    message
      .split('\n')
      .filter((line) => !line.includes('node_modules'))
      .slice(0, ERROR_LINES)
      .map((l) => `    ${l}`)
      .join('\n');
  return report.testResults.flatMap((file) => {
    const name = path.relative(root, file.name);
    const tests = file.assertionResults
      .filter((t) => t.status === 'failed')
      .map((t) =>
        [
          `${prefix} FAIL ${name} > ${t.fullName}`,
          shown(t.failureMessages.join('\n')),
          // What the test saw beside its error (a browser test's page: test/e2e/browser.ts).
          ...(t.meta?.diagnosis ?? []).map((line) => `    seen: ${line}`),
        ].join('\n'),
      );
    return tests.length > 0 || file.status !== 'failed'
      ? tests
      : [`${prefix} FAIL ${name}\n${shown(file.message)}`];
  });
}

const extra = process.argv.slice(2);

/** This process's environment without AWS_ENDPOINT_URL. */
function withoutEndpoint() {
  const { AWS_ENDPOINT_URL: _, ...env } = process.env;
  return env;
}
/**
 * Builds every function bundle (or finds the build of these sources recorded): done once here,
 * where each deployment's synth would otherwise build the same bundles at the same time. Built
 * twice, as the two kinds of synth in a run package them (lib/bundles/packaging.ts,
 * compressArchives): the infra files' (no endpoint: zips compressed, as for AWS) and every local
 * deploy's (an endpoint on this machine: zips stored). Each is its own recorded build.
 */
function buildBundles() {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [
        '--import',
        'tsx',
        '-e',
        `import('./lib/bundles/build.ts').then((m) => {
          m.buildBundles();
          process.env.AWS_ENDPOINT_URL = 'http://localhost:4566';
          m.buildBundles();
        })`,
      ],
      { cwd: root, stdio: 'inherit', env: withoutEndpoint() },
    );
    child.on('exit', (code) =>
      code === 0 ? resolve() : reject(new Error(`building the bundles failed (${code})`)),
    );
  });
}

if (extra.length === 0) {
  rmSync(RESULTS, { recursive: true, force: true });
  mkdirSync(RESULTS, { recursive: true });
  await buildBundles();
}
const codes =
  extra.length > 0
    ? [await run(extra)]
    : await Promise.all(
        PROCESSES.map((projects) =>
          run(
            projects.flatMap((p) => ['--project', p]),
            `[${projects.join('+')}]`,
            BACKGROUND.has(projects.join('+')),
          ),
        ),
      );
if (codes.some((code) => code !== 0)) {
  if (extra.length === 0)
    console.error(PROCESSES.flatMap((projects) => failuresOf(`[${projects.join('+')}]`)).join('\n'));
  console.error(`vitest failed (exit codes ${codes.join(', ')})`);
  process.exit(1);
}
