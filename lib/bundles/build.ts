/**
 * The function bundles the stack deploys: every declared function built by
 * one esbuild build (instead of one bundling step per function, so synth and
 * redeploy stay fast as functions are added), or a finished build reused while
 * its inputs are unchanged. The same code built in two checkouts gives the
 * same folders and archives, so the same asset hashes.
 */
import * as path from 'node:path';
import { build, buildSync, type OutputFile } from 'esbuild';
import { recordBuild, recordedBuild } from './build-cache.js';
import { bundleOptions, STAGING_DIR } from './build-options.js';
import { keepWhileRunning, writeBuild } from './build-store.js';
import { packagesOf } from './packaging.js';
import { FUNCTION_ENTRIES } from './registry.js';

/** Builds done in this process, by the entries they were built from (see {@link builtKey}). */
const built = new Map<string, string>();
const builtKey = (entries: Readonly<Record<string, string>>) => JSON.stringify(entries);

/** Writes esbuild's in-memory output as a finished build; returns its folder. */
const store = (outputFiles: readonly OutputFile[] = []) => writeBuild(packagesOf(outputFiles, STAGING_DIR));

/**
 * Builds every bundle now, or reuses the build of identical inputs; returns
 * the folder holding one sub-folder per function. Other `entries` (a test's
 * own service, from outside functions/) are always built.
 */
export function buildBundles(entries: Readonly<Record<string, string>> = FUNCTION_ENTRIES): string {
  if (entries !== FUNCTION_ENTRIES) return store(buildSync(bundleOptions(entries)).outputFiles);
  const recorded = recordedBuild();
  return recorded.dir ?? recordBuild(recorded.file, store(buildSync(bundleOptions()).outputFiles));
}

/**
 * {@link buildBundles} for every declared function, with esbuild working in
 * its own process while this one goes on: the CDK app starts it before it
 * loads the CDK, and its stack then finds the bundles built (~0.5 s of a
 * synth after an edit, on two cores).
 */
export async function prebuildBundles(): Promise<void> {
  const key = builtKey(FUNCTION_ENTRIES);
  if (built.has(key)) return;
  const recorded = recordedBuild();
  built.set(
    key,
    keepWhileRunning(
      recorded.dir ?? recordBuild(recorded.file, store((await build(bundleOptions())).outputFiles)),
    ),
  );
}

/**
 * The build holding a function's package (built, with all others, on first
 * use). A function not in the registry (a test's own service) is built on its
 * own from `entry`.
 */
function buildOf(name: string, entry = FUNCTION_ENTRIES[name]): string {
  if (!entry) throw new Error(`no function is declared as bundle "${name}" (functions/services.ts)`);
  const entries = FUNCTION_ENTRIES[name] === entry ? FUNCTION_ENTRIES : { [name]: entry };
  const key = builtKey(entries);
  let dir = built.get(key);
  if (!dir) {
    dir = keepWhileRunning(buildBundles(entries));
    built.set(key, dir);
  }
  return dir;
}

/** The directory holding a function's `index.js` and its source map. */
export function bundleDirectory(name: string, entry = FUNCTION_ENTRIES[name]): string {
  return path.join(buildOf(name, entry), name);
}

/** A function's code package as deployed: the zip archive of its directory. */
export function bundleArchive(name: string, entry = FUNCTION_ENTRIES[name]): string {
  return path.join(buildOf(name, entry), `${name}.zip`);
}
