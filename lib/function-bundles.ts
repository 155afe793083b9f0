/**
 * Every Lambda function's entry point, and the one esbuild build that bundles
 * them all (in parallel, parsing shared modules such as the AWS SDK once)
 * instead of one bundling step per function: synth and redeploy stay fast as
 * functions are added. Bundles include the AWS SDK (pinned, and present on
 * emulators that ship none) and a source map beside each `index.js`.
 *
 * Output goes to `.build/functions/<content hash>/<function>/` inside the
 * project (git-ignored), with each function's code package zipped beside it
 * (`<function>.zip`, what is deployed: the CDK CLI uploads it as it is instead
 * of zipping the folder on every deploy). The same code gives the same folder,
 * the source maps hold paths relative to it and the archives fixed times, so
 * the same code built in two checkouts gives the same asset hashes. Older
 * builds are pruned as new ones appear.
 */
import { createHash, randomUUID } from 'node:crypto';
import {
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { type BuildOptions, build, buildSync, type OutputFile } from 'esbuild';
import { zipSync } from 'fflate';
import { SWAGGER_ASSETS } from '../functions/docs/routes.js';
import { functionEntries } from '../functions/services.js';
import { consoleAssetFiles } from './console-assets.js';

export const PROJECT_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** Where function bundles are built: one folder per distinct build, named by its content hash. */
export const BUILD_DIR = path.join(PROJECT_ROOT, '.build', 'functions');

/** Where esbuild's in-memory output files are named as if written (nothing is written there). */
const STAGING_DIR = path.join(BUILD_DIR, 'staging');

/** How many finished builds to keep: a synth running beside another one may still be copying its own. */
const KEEP_BUILDS = 3;

/** Handler files, relative to `functions/`, each exporting `handler`: every declared service's functions. */
export const FUNCTION_ENTRIES = functionEntries();

export type FunctionBundle = keyof typeof FUNCTION_ENTRIES;

/** Template metadata key naming the bundle a function runs (`npm run dev` updates functions by it). */
export const FUNCTION_BUNDLE_METADATA = 'function-bundle';

/** Files (relative to the project root) a function reads at run time from LAMBDA_TASK_ROOT. */
const EXTRA_FILES: Partial<Record<FunctionBundle, string[]>> = {
  docs: Object.keys(SWAGGER_ASSETS).map((file) => `node_modules/swagger-ui-dist/${file}`),
};

/**
 * Files built from other sources and served by a function: the console's
 * browser app. `sources` is the folder they are built from (`npm run dev`
 * rebuilds the function when a file there changes).
 */
export const GENERATED_FILES: Partial<
  Record<FunctionBundle, { sources: string; build: () => PackageFile[] }>
> = {
  console: { sources: path.join(PROJECT_ROOT, 'functions', 'console', 'app'), build: consoleAssetFiles },
};

/**
 * The esbuild options of every function bundle, shared by synth and `npm run dev`.
 * `outdir` is a placeholder at the same depth as the final folder, so the
 * relative paths in the source maps hold wherever the build is written.
 */
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
    inject: [path.join(PROJECT_ROOT, 'functions', 'shared', 'source-maps.ts')],
    // Functions get their credentials from the environment only: the SDK's full default chain weighs ~140 KB.
    alias: {
      '@aws-sdk/credential-provider-node': path.join(
        PROJECT_ROOT,
        'functions',
        'shared',
        'aws-credentials.ts',
      ),
      // Loaded at first use instead of at load: @middy/core imports it for streamed responses only (~2 ms).
      'node:stream/web': path.join(PROJECT_ROOT, 'functions', 'shared', 'lazy-stream-web.cjs'),
      // No function calls an event-stream operation; bundling them costs every cold start 4-7 ms.
      '@smithy/core/event-streams': path.join(PROJECT_ROOT, 'functions', 'shared', 'no-event-streams.ts'),
    },
    // Maps point at file and line; embedding every dependency's source would triple them.
    sourcesContent: false,
    write: false,
    logLevel: 'warning',
    // The docs handler reads import.meta only outside Lambda (tests); in the bundle it is never reached.
    logOverride: { 'empty-import-meta': 'silent' },
  };
}

/** One file of a function's code package: its path inside the package and its bytes. */
export interface PackageFile {
  name: string;
  contents: Uint8Array;
}

/**
 * Splits esbuild's in-memory output into each function's package files
 * (index.js, index.js.map and any extra files it reads at run time).
 */
export function packagesOf(
  outputFiles: readonly OutputFile[],
  outdir: string,
): Map<FunctionBundle, PackageFile[]> {
  const packages = new Map<FunctionBundle, PackageFile[]>();
  for (const file of outputFiles) {
    const [name, ...rest] = path.relative(outdir, file.path).split(path.sep);
    const files = packages.get(name as FunctionBundle) ?? [];
    files.push({ name: rest.join('/'), contents: file.contents });
    packages.set(name as FunctionBundle, files);
  }
  for (const [name, extra] of Object.entries(EXTRA_FILES)) {
    const files = packages.get(name as FunctionBundle);
    for (const file of extra ?? [])
      files?.push({ name: path.basename(file), contents: readFileSync(path.join(PROJECT_ROOT, file)) });
  }
  for (const [name, assets] of Object.entries(GENERATED_FILES)) {
    packages.get(name as FunctionBundle)?.push(...(assets?.build() ?? []));
  }
  for (const files of packages.values()) files.sort((a, b) => a.name.localeCompare(b.name));
  return packages;
}

/** A content hash of one function's package files, stable across machines and checkout paths. */
export function packageHash(files: readonly PackageFile[]): string {
  const hash = createHash('sha256');
  for (const file of files) hash.update(`${file.name}\0${file.contents.length}\0`).update(file.contents);
  return hash.digest('hex');
}

/**
 * Every entry's time in a code package: a fixed one, so equal files give equal
 * archives. Local time, as a zip stores it: the same bytes in every time zone.
 */
const ZIP_ENTRY_TIME = new Date(2000, 0, 1);

/**
 * A function's code package as a zip archive, as Lambda takes it: entries in
 * name order, with fixed times and Unix permissions rw-r--r-- (Lambda runs the
 * code as another user than the one who made the archive). `compress` is for a
 * remote endpoint; for one on this machine storing is faster (compressing a
 * build's 13 MB costs ~0.8 s, sending it there costs nothing).
 */
export function zipPackage(files: readonly PackageFile[], compress: boolean): Uint8Array {
  return zipSync(Object.fromEntries(files.map((file) => [file.name, file.contents])), {
    level: compress ? 6 : 0,
    mtime: ZIP_ENTRY_TIME,
    os: 3,
    attrs: 0o644 << 16,
  });
}

/** An endpoint on this machine: the embedded emulator, or one in Docker. */
export function isOnThisMachine(endpoint: string): boolean {
  return ['localhost', '127.0.0.1', '[::1]'].includes(new URL(endpoint).hostname);
}

/** Whether this synth's archives are compressed: yes, unless it deploys to an endpoint on this machine. */
function compressArchives(): boolean {
  const endpoint = process.env.AWS_ENDPOINT_URL;
  return endpoint === undefined || !isOnThisMachine(endpoint);
}

/** Builds done in this process, by the entries they were built from (see {@link builtKey}). */
const built = new Map<string, string>();
const builtKey = (entries: Readonly<Record<string, string>>) => JSON.stringify(entries);

/** Files (besides everything under functions/) whose content decides what the bundles hold. */
const BUILD_INPUT_FILES = [
  'lib/function-bundles.ts',
  'lib/console-assets.ts',
  'package-lock.json',
  'tsconfig.json',
];

/**
 * A hash of everything a build reads: every file under functions/, the build
 * settings and the locked dependency versions. Equal keys give equal bundles,
 * so a build already made for them is reused without running esbuild (1-2 s
 * of every synth). Paths are project-relative: two checkouts agree.
 */
export function buildInputsKey(): string {
  const hash = createHash('sha256');
  const add = (relative: string) =>
    hash
      .update(`${relative}\0`)
      .update(readFileSync(path.join(PROJECT_ROOT, relative)))
      .update('\0');
  const walk = (relative: string): void => {
    for (const entry of readdirSync(path.join(PROJECT_ROOT, relative), { withFileTypes: true }).sort((a, b) =>
      a.name.localeCompare(b.name),
    )) {
      const child = `${relative}/${entry.name}`;
      if (entry.isDirectory()) walk(child);
      else if (entry.isFile()) add(child);
    }
  };
  walk('functions');
  for (const file of BUILD_INPUT_FILES) add(file);
  hash.update(`compressed archives: ${compressArchives()}`);
  return hash.digest('hex').slice(0, 16);
}

/**
 * Builds every bundle now, or reuses the build of identical inputs; returns
 * the folder holding one sub-folder per function. Other `entries` (a test's
 * own service, from outside functions/) are always built.
 */
export function buildBundles(entries: Readonly<Record<string, string>> = FUNCTION_ENTRIES): string {
  if (entries !== FUNCTION_ENTRIES) return writeBuild(buildSync(bundleOptions(entries)).outputFiles);
  const recorded = recordedBuild();
  return recorded.dir ?? recordBuild(recorded.file, writeBuild(buildSync(bundleOptions()).outputFiles));
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
    recorded.dir ?? recordBuild(recorded.file, writeBuild((await build(bundleOptions())).outputFiles)),
  );
}

/**
 * The build recorded for the current inputs of every declared function, if
 * it is still there, and the file that records it (a file, so an interrupted
 * build leaves no record).
 */
function recordedBuild(): { file: string; dir?: string } {
  mkdirSync(BUILD_DIR, { recursive: true });
  const file = path.join(BUILD_DIR, `inputs-${buildInputsKey()}`);
  if (!existsSync(file)) return { file };
  const dir = path.join(BUILD_DIR, readFileSync(file, 'utf8').trim());
  if (!existsSync(dir)) return { file };
  const now = new Date();
  utimesSync(dir, now, now);
  utimesSync(file, now, now);
  pruneBuilds(dir);
  return { file, dir };
}

/** Records `dir` as the build of the current inputs (see {@link recordedBuild}); returns it. */
function recordBuild(file: string, dir: string): string {
  writeFileSync(file, `${path.basename(dir)}\n`);
  return dir;
}

/** Writes esbuild's output as one build folder named by its content hash (unless it is there already); returns it. */
function writeBuild(outputFiles: readonly OutputFile[] = []): string {
  const packages = packagesOf(outputFiles, STAGING_DIR);
  const compress = compressArchives();
  const buildHash = createHash('sha256').update(`compressed archives: ${compress}\0`);
  for (const [name, files] of [...packages].sort(([a], [b]) => a.localeCompare(b)))
    buildHash.update(`${name}\0${packageHash(files)}\0`);
  const dir = path.join(BUILD_DIR, buildHash.digest('hex').slice(0, 16));
  if (!existsSync(dir)) {
    // Written aside and renamed into place, so a synth running at the same time never sees half a build.
    const staging = path.join(BUILD_DIR, `.tmp-${randomUUID()}`);
    for (const [name, files] of packages) {
      for (const file of files) {
        const target = path.join(staging, name, file.name);
        mkdirSync(path.dirname(target), { recursive: true });
        writeFileSync(target, file.contents);
      }
      writeFileSync(path.join(staging, `${name}.zip`), zipPackage(files, compress));
    }
    try {
      renameSync(staging, dir);
    } catch {
      rmSync(staging, { recursive: true, force: true }); // another synth put the same build there first
    }
  } else {
    const now = new Date();
    utimesSync(dir, now, now); // in use again: the newest, as far as pruning is concerned
  }
  // Local `require` of a bundle (bench, tests) must read it as CommonJS, as Lambda does: the project is ESM.
  writeFileSync(path.join(BUILD_DIR, 'package.json'), '{ "type": "commonjs" }\n');
  pruneBuilds(dir);
  return dir;
}

/** Removes all but the newest few builds, and staging folders that a crashed build left behind. */
function pruneBuilds(current: string): void {
  const now = Date.now();
  const entries = readdirSync(BUILD_DIR).map((name) => {
    const full = path.join(BUILD_DIR, name);
    return { name, full, mtime: statSync(full).mtimeMs };
  });
  const builds = entries.filter(
    (e) =>
      !e.name.startsWith('.tmp-') &&
      !e.name.startsWith('inputs-') &&
      e.name !== 'package.json' &&
      e.full !== current,
  );
  builds.sort((a, b) => b.mtime - a.mtime);
  for (const stale of builds.slice(KEEP_BUILDS - 1)) rmSync(stale.full, { recursive: true, force: true });
  // Keys whose build was pruned point nowhere: drop them.
  const kept = new Set(readdirSync(BUILD_DIR));
  for (const key of entries.filter((e) => e.name.startsWith('inputs-'))) {
    if (!existsSync(key.full)) continue;
    if (!kept.has(readFileSync(key.full, 'utf8').trim())) rmSync(key.full, { force: true });
  }
  for (const tmp of entries.filter((e) => e.name.startsWith('.tmp-') && now - e.mtime > 10 * 60_000))
    rmSync(tmp.full, { recursive: true, force: true });
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
    dir = buildBundles(entries);
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
