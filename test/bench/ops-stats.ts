/**
 * The time `npm run stats` takes, as someone types it: the whole command,
 * npm and tsx starting included, after a few requests so it has figures to
 * read; beside the same script run by tsx without npm, and tsx running an
 * empty script (the floor every bin/ command pays), in the same run.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { SERVICES } from '../../functions/services.js';
import { httpServices } from '../../functions/shared/service.js';
import type { Deployment } from '../../lib/stack-outputs.js';
import { percentile } from './stats.js';

const RUNS = 5;

function timed(command: string, args: readonly string[]): { ms: number; stdout: string } {
  const t0 = performance.now();
  const stdout = execFileSync(command, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  return { ms: performance.now() - t0, stdout };
}

export async function statsBench(deployment: Deployment, check: (target: string, ok: boolean) => void) {
  const dir = mkdtempSync(path.join(tmpdir(), 'bench-stats-'));
  const file = path.join(dir, 'deployment.json');
  writeFileSync(file, JSON.stringify(deployment));
  try {
    for (let i = 0; i < 20; i++) await (await fetch(`${deployment.apiBaseUrl}downcase?param=Stats`)).text();
    const tsx = path.resolve('node_modules/.bin/tsx');
    const runs = {
      'npm run stats': [] as number[],
      'tsx bin/stats.ts': [] as number[],
      'tsx, empty script (floor)': [] as number[],
    };
    let printed = '';
    for (let i = 0; i < RUNS; i++) {
      const run = timed('npm', ['run', '--silent', 'stats', '--', '--since', '15m', '--deployment', file]);
      printed = run.stdout;
      runs['npm run stats'].push(run.ms);
      runs['tsx bin/stats.ts'].push(timed(tsx, ['bin/stats.ts', '--since', '15m', '--deployment', file]).ms);
      runs['tsx, empty script (floor)'].push(timed(tsx, ['-e', '0']).ms);
    }
    console.log(`\nnpm run stats -- --since 15m (${RUNS} runs each)`);
    console.log('  command                      | p50        | max');
    for (const [label, times] of Object.entries(runs)) {
      console.log(
        `  ${label.padEnd(28)} | ${percentile(times, 50).toFixed(0).padStart(7)} ms | ${Math.max(...times)
          .toFixed(0)
          .padStart(7)} ms`,
      );
    }
    const services = httpServices(SERVICES).map((s) => s.name);
    const listed = printed
      .trim()
      .split('\n')
      .slice(2)
      .map((line) => line.split(/\s+/)[0]);
    check(
      'stats: prints a line for every HTTP service',
      services.every((s) => listed.includes(s)),
    );
    check('stats: answers within 5 s (p50 of npm run stats)', percentile(runs['npm run stats'], 50) < 5_000);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
