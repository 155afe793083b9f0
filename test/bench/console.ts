/**
 * The web console's weight: its JavaScript and CSS as the browser downloads
 * them (minified, gzipped), built by the project's own console build, beside
 * the 100 KB budget for its JavaScript.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { buildConsoleAssets, gzippedSizes } from '../../lib/console-assets.js';

/** Most gzipped JavaScript the console may send. */
export const MAX_CONSOLE_JS_KB = 100;

const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;

export function consoleBench(check: (target: string, ok: boolean) => void): void {
  const dir = mkdtempSync(path.join(tmpdir(), 'console-bench-'));
  try {
    buildConsoleAssets(dir);
    const sizes = gzippedSizes(dir);
    const js = sizes['app.js'] ?? Number.POSITIVE_INFINITY;
    console.log('\nweb console, gzipped (what a browser downloads)');
    console.log(`  app.js   ${kb(js).padStart(9)}   target < ${MAX_CONSOLE_JS_KB} KB`);
    console.log(`  app.css  ${kb(sizes['app.css'] ?? 0).padStart(9)}`);
    check(`console JavaScript under ${MAX_CONSOLE_JS_KB} KB gzipped`, js < MAX_CONSOLE_JS_KB * 1024);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
