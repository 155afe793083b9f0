import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { ensureMinistack, LOCALSTACK_DIR } from '../../localstack/ministack.js';

/**
 * The time a test that runs MiniStack's Python is given: starting Python, importing MiniStack and
 * any Node.js worker the script starts take seconds, not vitest's default 5, on a loaded machine.
 */
export const MINISTACK_PYTHON_TIMEOUT_MS = 60_000;

/**
 * Runs `script` in MiniStack's own Python with localstack/ministack_launch.py's
 * changes in place (imported, no server started), and returns the JSON its last
 * line printed.
 */
export function runWithMinistack(script: string): unknown {
  const python = path.join(path.dirname(ensureMinistack(() => {})), 'python');
  const run = spawnSync(
    python,
    [
      '-c',
      `import json, sys, time\nsys.path.insert(0, ${JSON.stringify(LOCALSTACK_DIR)})\nimport ministack_launch\n${script}`,
    ],
    { encoding: 'utf8' },
  );
  if (run.status !== 0) throw new Error(run.stderr);
  return JSON.parse(run.stdout.trim().split('\n').at(-1) ?? '');
}
