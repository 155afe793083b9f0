/**
 * The web console's browser bundle: one esbuild build of
 * `functions/console/app/main.ts` (preact, htm, the world-atlas land outline)
 * into `app.js` and `app.css`, minified, no CDN. Written beside the console
 * function's bundle, which serves them.
 */
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { buildSync } from 'esbuild';
import { CONSOLE_ASSETS } from '../functions/console/routes.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** Builds the console into `outdir` (as `app.js` and `app.css`). */
export function buildConsoleAssets(outdir: string): void {
  buildSync({
    entryPoints: { app: path.join(ROOT, 'functions', 'console', 'app', 'main.ts') },
    outdir,
    bundle: true,
    platform: 'browser',
    format: 'esm',
    target: ['es2020', 'chrome100', 'firefox100', 'safari15'],
    minify: true,
    legalComments: 'none',
    logLevel: 'warning',
  });
}

/** Gzipped size in bytes of each console file in `dir`, the figure the 100 KB budget is about. */
export function gzippedSizes(dir: string): Record<string, number> {
  return Object.fromEntries(
    Object.keys(CONSOLE_ASSETS).map((file) => {
      return [file, gzipSync(readFileSync(path.join(dir, file))).length];
    }),
  );
}
