/**
 * Function code packages: esbuild's output split by function, with the files
 * each function's declaration adds, hashed by content and zipped as Lambda
 * takes them. Equal files give equal archives, on any machine.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import type { OutputFile } from 'esbuild';
import { zipSync } from 'fflate';
import { PROJECT_ROOT } from '../project-root.js';
import { generatedFilesOf } from './generated-files.js';
import { FUNCTION_DECLARATIONS, type FunctionBundle } from './registry.js';

/** One file of a function's code package: its path inside the package and its bytes. */
export interface PackageFile {
  name: string;
  contents: Uint8Array;
}

/**
 * Splits esbuild's in-memory output (written as if into `outdir`) into each
 * function's package files, in name order: index.js, index.js.map, and the
 * files its declaration adds (`files` it reads at run time, `generatedFiles`).
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
  for (const [name, files] of packages) {
    for (const file of FUNCTION_DECLARATIONS[name]?.files ?? [])
      files.push({ name: path.basename(file), contents: readFileSync(path.join(PROJECT_ROOT, file)) });
    files.push(...(generatedFilesOf(name)?.build() ?? []));
    files.sort((a, b) => a.name.localeCompare(b.name));
  }
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
export function compressArchives(): boolean {
  const endpoint = process.env.AWS_ENDPOINT_URL;
  return endpoint === undefined || !isOnThisMachine(endpoint);
}
