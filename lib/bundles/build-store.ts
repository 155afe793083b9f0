/**
 * The finished builds on disk: `.build/functions/<content hash>/` inside the
 * project (git-ignored), one sub-folder per function with its code package
 * zipped beside it (`<function>.zip`, what is deployed: the CDK CLI uploads it
 * as it is instead of zipping the folder on every deploy). The same code gives
 * the same folder; the newest few are kept.
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
import { PROJECT_ROOT } from '../project-root.js';
import { compressArchives, type PackageFile, packageHash, zipPackage } from './packaging.js';
import type { FunctionBundle } from './registry.js';

/** Where function bundles are built: one folder per distinct build, named by its content hash. */
export const BUILD_DIR = path.join(PROJECT_ROOT, '.build', 'functions');

/** How many finished builds to keep: a synth running beside another one may still be copying its own. */
const KEEP_BUILDS = 3;

/** Files beside the builds recording which build was made from which inputs (`inputs-<key>`, see build-cache.ts). */
export const INPUTS_RECORD_PREFIX = 'inputs-';

/** Builds this process's synth uses: pruning never removes them while it runs. */
const inUse = new Set<string>();

/**
 * Files beside the builds saying which process uses which build (`.in-use-<pid>-<build>`):
 * pruning in one process (a synth, a test building a variant) leaves the builds that another
 * running process reads, and drops the files of processes that have ended.
 */
const IN_USE_PREFIX = '.in-use-';

/** Keeps `dir` from being pruned while this process runs, by this process or any other; returns it. */
export function keepWhileRunning(dir: string): string {
  if (!inUse.has(dir)) {
    inUse.add(dir);
    mkdirSync(BUILD_DIR, { recursive: true });
    writeFileSync(path.join(BUILD_DIR, `${IN_USE_PREFIX}${process.pid}-${path.basename(dir)}`), '');
  }
  return dir;
}

const isRunning = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
};

/** The builds running processes use (see {@link IN_USE_PREFIX}); the files of ended processes are removed. */
function usedByRunningProcesses(names: readonly string[]): Set<string> {
  const used = new Set<string>();
  for (const name of names.filter((n) => n.startsWith(IN_USE_PREFIX))) {
    const [, pid = '', build = ''] = /^\.in-use-(\d+)-(.+)$/.exec(name) ?? [];
    if (isRunning(Number(pid))) used.add(path.join(BUILD_DIR, build));
    else rmSync(path.join(BUILD_DIR, name), { force: true });
  }
  return used;
}

/** Folders a build is written into before it is renamed into place. */
const TEMP_PREFIX = '.tmp-';

/**
 * Writes the packages as one build folder named by their content hash (unless
 * it is there already), each with its zip archive; returns the folder.
 */
export function writeBuild(packages: ReadonlyMap<FunctionBundle, readonly PackageFile[]>): string {
  const compress = compressArchives();
  const buildHash = createHash('sha256').update(`compressed archives: ${compress}\0`);
  for (const [name, files] of [...packages].sort(([a], [b]) => a.localeCompare(b)))
    buildHash.update(`${name}\0${packageHash(files)}\0`);
  const dir = path.join(BUILD_DIR, buildHash.digest('hex').slice(0, 16));
  if (!existsSync(dir)) {
    // Written aside and renamed into place, so a synth running at the same time never sees half a build.
    const staging = path.join(BUILD_DIR, `${TEMP_PREFIX}${randomUUID()}`);
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

/** The build an input record names; undefined once another process has removed the record. */
function recordedBuildName(record: string): string | undefined {
  try {
    return readFileSync(record, 'utf8').trim();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

/**
 * Removes all but the newest few builds (`current` among them, and every build
 * a running process uses), input records
 * whose build is gone, and staging folders that a crashed build left behind.
 * Builds of every declared function (those an input record names) and the
 * others (a test's own functions, built alone) are counted apart, so the
 * second kind never pushes out the first: `npm test` uses two builds of every
 * function (its two packagings) beside several of test functions.
 */
export function pruneBuilds(current: string): void {
  const now = Date.now();
  const names = readdirSync(BUILD_DIR);
  const used = usedByRunningProcesses(names);
  const entries = names
    .filter((name) => !name.startsWith(IN_USE_PREFIX))
    .flatMap((name) => {
      const full = path.join(BUILD_DIR, name);
      // Another process may have removed it since the listing.
      const stat = statSync(full, { throwIfNoEntry: false });
      return stat ? [{ name, full, mtime: stat.mtimeMs }] : [];
    });
  const builds = entries.filter(
    (e) =>
      !e.name.startsWith(TEMP_PREFIX) &&
      !e.name.startsWith(INPUTS_RECORD_PREFIX) &&
      e.name !== 'package.json' &&
      e.full !== current &&
      !inUse.has(e.full) &&
      !used.has(e.full),
  );
  builds.sort((a, b) => b.mtime - a.mtime);
  const recorded = new Set(
    entries.filter((e) => e.name.startsWith(INPUTS_RECORD_PREFIX)).map((e) => recordedBuildName(e.full)),
  );
  for (const ofEveryFunction of [true, false])
    for (const stale of builds.filter((b) => recorded.has(b.name) === ofEveryFunction).slice(KEEP_BUILDS - 1))
      rmSync(stale.full, { recursive: true, force: true });
  const kept = new Set(readdirSync(BUILD_DIR));
  for (const record of entries.filter((e) => e.name.startsWith(INPUTS_RECORD_PREFIX))) {
    const build = recordedBuildName(record.full);
    if (build !== undefined && !kept.has(build)) rmSync(record.full, { force: true });
  }
  for (const tmp of entries.filter((e) => e.name.startsWith(TEMP_PREFIX) && now - e.mtime > 10 * 60_000))
    rmSync(tmp.full, { recursive: true, force: true });
}
