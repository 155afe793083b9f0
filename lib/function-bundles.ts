/**
 * Every Lambda function's entry point, and the one esbuild build that bundles
 * them all (in parallel, parsing shared modules such as the AWS SDK once)
 * instead of one bundling step per function: synth and redeploy stay fast as
 * functions are added. Bundles include the AWS SDK (pinned, and present on
 * emulators that ship none) and source maps.
 */
import { copyFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildSync } from 'esbuild';
import { SWAGGER_ASSETS } from '../functions/docs/routes.js';
import { buildConsoleAssets } from './console-assets.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** Handler files, relative to `functions/`, each exporting `handler`. */
export const FUNCTION_ENTRIES = {
  'log-feed-subscriber': 'log-feed/subscriber.ts',
  'log-feed-error-forwarder': 'log-feed/error-forwarder.ts',
  downcase: 'downcase/handler.ts',
  auth: 'auth/handler.ts',
  'auth-pre-sign-up': 'auth/pre-sign-up.ts',
  'auth-token-authorizer': 'auth/authorizer.ts',
  tasks: 'tasks/handler.ts',
  search: 'search/handler.ts',
  docs: 'docs/handler.ts',
  users: 'users/handler.ts',
  movies: 'movies/handler.ts',
  bookings: 'bookings/handler.ts',
  'rpc-janitor': 'rpc-janitor/handler.ts',
  'live-feed-authorizer': 'live-feed/authorizer.ts',
  'live-feed-connections': 'live-feed/connections.ts',
  'live-feed-broadcaster': 'live-feed/broadcaster.ts',
  console: 'console/handler.ts',
  'bench-noop': 'bench/noop.ts',
} as const;

export type FunctionBundle = keyof typeof FUNCTION_ENTRIES;

/** Files (relative to the project root) a function reads at run time from LAMBDA_TASK_ROOT. */
const EXTRA_FILES: Partial<Record<FunctionBundle, string[]>> = {
  docs: Object.keys(SWAGGER_ASSETS).map((file) => `node_modules/swagger-ui-dist/${file}`),
};

let outdir: string | undefined;

function buildAll(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'function-bundles-'));
  buildSync({
    entryPoints: Object.fromEntries(
      Object.entries(FUNCTION_ENTRIES).map(([name, entry]) => [
        `${name}/index`,
        path.join(ROOT, 'functions', entry),
      ]),
    ),
    outdir: dir,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    mainFields: ['module', 'main'],
    external: [],
    minify: true,
    keepNames: true,
    sourcemap: true,
    // Maps point at file and line; embedding every dependency's source would triple them.
    sourcesContent: false,
    logLevel: 'warning',
    // The docs handler reads import.meta only outside Lambda (tests); in the bundle it is never reached.
    logOverride: { 'empty-import-meta': 'silent' },
  });
  for (const [name, files] of Object.entries(EXTRA_FILES)) {
    for (const file of files ?? [])
      copyFileSync(path.join(ROOT, file), path.join(dir, name, path.basename(file)));
  }
  buildConsoleAssets(path.join(dir, 'console'));
  return dir;
}

/** The directory holding a function's `index.js` (built, with all others, on first use). */
export function bundleDirectory(name: FunctionBundle): string {
  outdir ??= buildAll();
  return path.join(outdir, name);
}
