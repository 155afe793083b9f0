// `npm test`'s runner: every vitest project, in two vitest processes side by side.
//
// Vitest runs the files of every project that takes turns (fileParallelism: false) in one
// queue, one file at a time, after everything else: the e2e files and the operations e2e files
// (each project on a stack of its own) would wait for each other although they share nothing. So
// the operations project and the longest e2e files run in processes of their own, their lines
// prefixed with `[e2e-ops]` and `[e2e-long]`, beside the first (unit, infra, e2e, e2e-dev). Most
// of an e2e file's time is spent waiting on its stack.
// Arguments (files, -t, projects) run one plain `vitest run` with them instead.
import { spawn } from 'node:child_process';
import * as path from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const vitest = path.join(root, 'node_modules', '.bin', 'vitest');
const SIDE_PROJECTS = ['e2e-ops', 'e2e-long'];
const OTHER_PROJECTS = ['unit', 'infra', 'e2e', 'e2e-dev'];

/** Runs vitest with `args`; resolves its exit code. With a prefix, its output goes through line by line. */
function run(args, prefix) {
  return new Promise((resolve) => {
    const child = spawn(vitest, ['run', ...args], {
      cwd: root,
      stdio: prefix ? ['ignore', 'pipe', 'pipe'] : 'inherit',
    });
    if (prefix)
      for (const [stream, out] of [
        [child.stdout, process.stdout],
        [child.stderr, process.stderr],
      ])
        createInterface({ input: stream }).on('line', (line) => out.write(`${prefix} ${line}\n`));
    child.on('exit', (code, signal) => resolve(code ?? (signal ? 1 : 0)));
  });
}

const extra = process.argv.slice(2);
const codes =
  extra.length > 0
    ? [await run(extra)]
    : await Promise.all([
        run(OTHER_PROJECTS.flatMap((p) => ['--project', p])),
        ...SIDE_PROJECTS.map((project) => run(['--project', project], `[${project}]`)),
      ]);
if (codes.some((code) => code !== 0)) {
  console.error(`vitest failed (exit codes ${codes.join(', ')})`);
  process.exit(1);
}
