/**
 * The esbuild options of every function bundle, shared by synth, `npm run dev`
 * and the bench: one build of every entry point (in parallel, parsing shared
 * modules such as the AWS SDK once), the AWS SDK included (pinned, and present
 * on emulators that ship none), a source map beside each `index.js`, and
 * three stand-in modules that keep unused code out of every cold start.
 */
import * as path from 'node:path';
import type { BuildOptions } from 'esbuild';
import { PROJECT_ROOT } from '../project-root.js';
import { BUILD_DIR } from './build-store.js';
import { FUNCTION_ENTRIES } from './registry.js';

/**
 * Where esbuild's in-memory output files are named as if written (nothing is
 * written there): at the same depth as a finished build's folder, so the
 * relative paths in the source maps hold wherever the build is written.
 */
export const STAGING_DIR = path.join(BUILD_DIR, 'staging');

/** A module of functions/shared/, by file name. */
const shared = (file: string) => path.join(PROJECT_ROOT, 'functions', 'shared', file);

/** The esbuild options bundling `entries` (bundle name to entry file under `functions/`), output in memory. */
export function bundleOptions(
  entries: Readonly<Record<string, string>> = FUNCTION_ENTRIES,
): BuildOptions & { outdir: string } {
  return {
    entryPoints: Object.fromEntries(
      Object.entries(entries).map(([name, entry]) => [
        `${name}/index`,
        path.join(PROJECT_ROOT, 'functions', entry),
      ]),
    ),
    outdir: STAGING_DIR,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    mainFields: ['module', 'main'],
    external: [],
    minify: true,
    keepNames: true,
    // A separate `index.js.map` per bundle: loading the code does not parse it (see the README, "Source maps").
    sourcemap: 'linked',
    // ... which this module, in every bundle, reads the first time a stack trace is formatted.
    inject: [shared('source-maps.ts')],
    alias: {
      // Functions get their credentials from the environment only: the SDK's full default chain weighs ~140 KB.
      '@aws-sdk/credential-provider-node': shared('aws-credentials.ts'),
      // Loaded at first use instead of at load: @middy/core imports it for streamed responses only (~2 ms).
      'node:stream/web': shared('lazy-stream-web.cjs'),
      // No function calls an event-stream operation; bundling them costs every cold start 4-7 ms.
      '@smithy/core/event-streams': shared('no-event-streams.ts'),
    },
    // Maps point at file and line; embedding every dependency's source would triple them.
    sourcesContent: false,
    write: false,
    logLevel: 'warning',
    // The docs handler reads import.meta only outside Lambda (tests); in the bundle it is never reached.
    logOverride: { 'empty-import-meta': 'silent' },
  };
}
