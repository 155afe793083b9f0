/**
 * Reuse of a finished build while nothing it is built from has changed: a
 * synth then runs no esbuild (1-2 s of every synth). What a build is built
 * from is hashed into a key, and a file named by the key records the build.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, utimesSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { PROJECT_ROOT } from '../project-root.js';
import { BUILD_DIR, INPUTS_RECORD_PREFIX, pruneBuilds } from './build-store.js';
import { compressArchives } from './packaging.js';

/**
 * What decides the bundles besides the code under functions/: the build code,
 * the locked dependency versions and the compiler settings.
 */
const BUILD_INPUTS = {
  folders: ['lib/bundles'],
  files: ['lib/console-assets.ts', 'package-lock.json', 'tsconfig.json'],
};

/**
 * A hash of everything a build reads: every file under functions/, the build
 * code and the locked dependency versions. Equal keys give equal bundles, so
 * a build already made for them can be reused. Paths are project-relative:
 * two checkouts agree.
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
  for (const folder of BUILD_INPUTS.folders) walk(folder);
  for (const file of BUILD_INPUTS.files) add(file);
  hash.update(`compressed archives: ${compressArchives()}`);
  return hash.digest('hex').slice(0, 16);
}

/**
 * The build recorded for the current inputs of every declared function, if
 * it is still there, and the file that records it (a file, so an interrupted
 * build leaves no record).
 */
export function recordedBuild(): { file: string; dir?: string } {
  mkdirSync(BUILD_DIR, { recursive: true });
  const file = path.join(BUILD_DIR, `${INPUTS_RECORD_PREFIX}${buildInputsKey()}`);
  if (!existsSync(file)) return { file };
  const dir = path.join(BUILD_DIR, readFileSync(file, 'utf8').trim());
  if (!existsSync(dir)) return { file };
  const now = new Date();
  utimesSync(dir, now, now);
  utimesSync(file, now, now);
  pruneBuilds(dir);
  return { file, dir };
}

/** Records `dir` as the build of the inputs that `file` is named by (see {@link recordedBuild}); returns it. */
export function recordBuild(file: string, dir: string): string {
  writeFileSync(file, `${path.basename(dir)}\n`);
  return dir;
}
