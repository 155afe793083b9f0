import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { FileSystem } from 'aws-cdk-lib';
import { buildSync } from 'esbuild';
import { unzipSync } from 'fflate';
import { afterAll, describe, expect, it } from 'vitest';
import { CONSOLE_ASSETS } from '../../functions/console/routes.js';
import { SWAGGER_DIST_FILES } from '../../functions/docs/routes.js';
import { bundleArchive, bundleDirectory } from '../../lib/bundles/build.js';
import { bundleOptions } from '../../lib/bundles/build-options.js';
import { BUILD_DIR } from '../../lib/bundles/build-store.js';
import { FUNCTION_ENTRIES } from '../../lib/bundles/registry.js';
import { PROJECT_ROOT } from '../../lib/project-root.js';
import { infrastructureFiles } from '../../localstack/dev/infrastructure.js';
import { cloneProject } from '../support/clone-project.js';

/** The CDK asset hash of every function's code package, as the checkout at `root` builds them. */
function assetHashes(root: string): Record<string, string> {
  const script = path.join(root, 'asset-hashes.ts');
  writeFileSync(
    script,
    `import { FileSystem } from 'aws-cdk-lib';
import { bundleArchive } from './lib/bundles/build.js';
import { FUNCTION_ENTRIES } from './lib/bundles/registry.js';
const hashes = Object.fromEntries(
  Object.keys(FUNCTION_ENTRIES).map((name) => [name, FileSystem.fingerprint(bundleArchive(name as keyof typeof FUNCTION_ENTRIES))]),
);
console.log(JSON.stringify(hashes));
`,
  );
  const out = execFileSync(path.join(root, 'node_modules', '.bin', 'tsx'), [script], {
    cwd: root,
    encoding: 'utf8',
  });
  return JSON.parse(out.trim().split('\n').pop() ?? '{}') as Record<string, string>;
}

describe('function bundles', () => {
  const temp = mkdtempSync(path.join(tmpdir(), 'bundle-clones-'));
  afterAll(() => rmSync(temp, { recursive: true, force: true }));

  /** A copy of the project, deeper than this checkout and elsewhere; the tests below edit and build it. */
  const clone = path.join(temp, 'some', 'deeper', 'checkout');

  /** Runs the TypeScript `source` with tsx in the clone, as `<name>.ts`; returns what it printed. */
  const runInClone = (name: string, source: string) => {
    const script = path.join(clone, `${name}.ts`);
    writeFileSync(script, source);
    return execFileSync(path.join(clone, 'node_modules', '.bin', 'tsx'), [script], {
      cwd: clone,
      encoding: 'utf8',
    });
  };

  /**
   * Script lines defining `build(version)`: the bench no-op, its VERSION set to `version`, built
   * alone (one small bundle per build: what is kept does not depend on what a build holds).
   */
  const BUILD_NOOP = `import { readFileSync, writeFileSync } from 'node:fs';
import { buildBundles } from './lib/bundles/build.js';
const noop = 'functions/bench/noop.ts';
const original = readFileSync(noop, 'utf8');
const build = (version: string) => {
  writeFileSync(noop, original.replace(/const VERSION = '[^']*';/, \`const VERSION = '\${version}';\`));
  return buildBundles({ 'bench-noop': 'bench/noop.ts' });
};
`;

  it('get identical asset hashes when built in two checkouts at different paths', () => {
    cloneProject(clone);
    const hashesOfClone = assetHashes(clone);
    // This checkout's bundles (built by npm test before the tests, or here), hashed as the CDK app does.
    const hashesHere = Object.fromEntries(
      Object.keys(FUNCTION_ENTRIES).map((name) => [
        name,
        FileSystem.fingerprint(bundleArchive(name as keyof typeof FUNCTION_ENTRIES)),
      ]),
    );
    expect(Object.keys(hashesOfClone).sort()).toEqual(Object.keys(FUNCTION_ENTRIES).sort());
    expect(hashesOfClone).toEqual(hashesHere);

    // ... because nothing in them names the checkout.
    const [build] = readdirSync(path.join(clone, '.build', 'functions')).filter((n) => !n.includes('.'));
    const map = readFileSync(
      path.join(clone, '.build', 'functions', `${build}`, 'tasks', 'index.js.map'),
      'utf8',
    );
    expect(map).not.toContain(clone);
    expect(map).toContain('"../../../../functions/tasks/handler.ts"');
  });

  it('are built inside the project; of the builds of one function the last three are kept, beside those of every function', () => {
    const root = clone;
    const buildDir = path.join(root, '.build', 'functions');
    // The build of every function the first test made, named by its input record.
    const [record = ''] = readdirSync(buildDir).filter((n) => n.startsWith('inputs-'));
    const everyFunction = readFileSync(path.join(buildDir, record), 'utf8').trim();
    const out = runInClone(
      'rebuild',
      `${BUILD_NOOP}for (let i = 0; i < 4; i++) console.log(build(\`v\${i}\`));\n`,
    );
    const builds = out
      .trim()
      .split('\n')
      .filter((line) => line.startsWith(root));
    expect(new Set(builds).size).toBe(4);
    for (const build of builds) expect(build.startsWith(path.join(root, '.build', 'functions'))).toBe(true);
    const kept = readdirSync(buildDir).filter((n) => !n.includes('.') && !n.startsWith('inputs-'));
    expect(kept.sort()).toEqual([everyFunction, ...builds.slice(1).map((b) => path.basename(b))].sort());
  });

  it('never removes a build that another running process uses, and forgets that process once it has ended', () => {
    const out = runInClone(
      'held',
      `import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { once } from 'node:events';
${BUILD_NOOP}
const held = build('held');
// Another process (a synth, a test) reading that build until it ends.
const reader = spawn(process.execPath, ['--import', 'tsx', '-e',
  "import('./lib/bundles/build-store.ts').then((m) => { m.keepWhileRunning(process.argv[1]); console.log('kept'); process.stdin.resume(); })",
  held], { stdio: ['pipe', 'pipe', 'inherit'] });
await once(reader.stdout, 'data');
for (let i = 0; i < 4; i++) build(\`v\${i}\`);
const whileRunning = existsSync(held);
reader.stdin.end();
await once(reader, 'exit');
build('after');
console.log(JSON.stringify({ whileRunning, afterItEnded: existsSync(held) }));
`,
    );
    expect(JSON.parse(out.trim().split('\n').at(-1) ?? '')).toEqual({
      whileRunning: true,
      afterItEnded: false,
    });
  });

  it('are reused without building when nothing they are built from changed, and rebuilt after an edit', () => {
    const root = clone;
    // A build recorded for the current inputs is returned as is: proof that no esbuild ran for it.
    const out = runInClone(
      'reuse',
      `import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { buildBundles } from './lib/bundles/build.js';
import { buildInputsKey } from './lib/bundles/build-cache.js';
import { BUILD_DIR } from './lib/bundles/build-store.js';
const marked = path.join(BUILD_DIR, 'recorded-build');
mkdirSync(marked, { recursive: true });
writeFileSync(path.join(BUILD_DIR, \`inputs-\${buildInputsKey()}\`), 'recorded-build\\n');
console.log('same inputs', buildBundles());
const noop = 'functions/bench/noop.ts';
writeFileSync(noop, readFileSync(noop, 'utf8').replace(/const VERSION = '[^']*';/, "const VERSION = 'edited';"));
console.log('edited', buildBundles());
`,
    );
    const built = path.join(root, '.build', 'functions');
    expect(out).toContain(`same inputs ${path.join(built, 'recorded-build')}`);
    const edited = /edited (\S+)/.exec(out)?.[1];
    expect(edited).toBeDefined();
    expect(path.dirname(edited ?? '')).toBe(built);
    expect(path.basename(edited ?? '')).toMatch(/^[0-9a-f]{16}$/);
  });
});

/** Each entry of a zip archive's central directory: its name, the OS it was made on, its Unix mode and DOS time. */
function zipEntries(archive: Buffer): Array<{ name: string; os: number; mode: number; dosTime: number }> {
  // The end-of-central-directory record (no archive comment: the last 22 bytes) says where the directory is.
  const end = archive.length - 22;
  expect(archive.readUInt32LE(end)).toBe(0x06054b50);
  const entries = [];
  for (let i = 0, at = archive.readUInt32LE(end + 16); i < archive.readUInt16LE(end + 10); i++) {
    expect(archive.readUInt32LE(at)).toBe(0x02014b50);
    const nameLength = archive.readUInt16LE(at + 28);
    entries.push({
      name: archive.toString('utf8', at + 46, at + 46 + nameLength),
      os: archive.readUInt8(at + 5),
      mode: archive.readUInt32LE(at + 38) >>> 16,
      dosTime: archive.readUInt32LE(at + 12),
    });
    at += 46 + nameLength + archive.readUInt16LE(at + 30) + archive.readUInt16LE(at + 32);
  }
  return entries;
}

describe('code packages', () => {
  it("are each function's folder zipped, every file readable by anyone (rw-r--r--) and dated alike", () => {
    for (const name of ['tasks', 'docs'] as const) {
      const folder = bundleDirectory(name);
      const archive = readFileSync(bundleArchive(name));
      const unzipped = unzipSync(archive);
      const files = readdirSync(folder).sort();
      const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');
      expect(
        Object.fromEntries(Object.entries(unzipped).map(([file, bytes]) => [file, sha256(bytes)])),
      ).toEqual(
        Object.fromEntries(files.map((file) => [file, sha256(readFileSync(path.join(folder, file)))])),
      );
      const entries = zipEntries(archive);
      expect(entries.map((e) => e.name)).toEqual(files);
      for (const entry of entries)
        expect(entry).toEqual({ name: entry.name, os: 3, mode: 0o644, dosTime: entries[0]?.dosTime });
    }
  });
});

describe('a function declaration', () => {
  it('adds the files it names to its code package: files read at run time, and generated files', () => {
    const packaged = (name: string) => readdirSync(bundleDirectory(name)).sort();
    expect(packaged('docs')).toEqual(['index.js', 'index.js.map', ...Object.keys(SWAGGER_DIST_FILES)].sort());
    expect(packaged('console')).toEqual(['index.js', 'index.js.map', ...Object.keys(CONSOLE_ASSETS)].sort());
    expect(packaged('tasks')).toEqual(['index.js', 'index.js.map']);
  });
});

describe('stack traces', () => {
  it('name the source file and line, from the map beside the bundle, without --enable-source-maps', () => {
    const options = bundleOptions();
    const outdir = path.join(BUILD_DIR, '..', 'test-source-maps', 'x');
    rmSync(path.dirname(outdir), { recursive: true, force: true });
    buildSync({
      ...options,
      entryPoints: { 'throws/index': path.join(PROJECT_ROOT, 'test', 'infra', 'fixtures', 'throws.ts') },
      outdir,
      write: true,
    });
    writeFileSync(path.join(path.dirname(outdir), 'package.json'), '{ "type": "commonjs" }\n');
    const bundle = path.join(outdir, 'throws', 'index.js');
    const trace = execFileSync(
      process.execPath,
      ['-e', `try { require(${JSON.stringify(bundle)}).handler() } catch (e) { console.log(e.stack) }`],
      { encoding: 'utf8' },
    );
    rmSync(path.dirname(outdir), { recursive: true, force: true });
    expect(trace).toMatch(
      /^Error: thrown on line 3\n {4}at handler \(test\/infra\/fixtures\/throws\.ts:3:9\)/,
    );
  });
});

describe('npm run dev', () => {
  it('counts the files the CDK app imports as possible infrastructure (a synth decides), and handler code as not', async () => {
    const files = await infrastructureFiles();
    const at = (file: string) => path.join(PROJECT_ROOT, file);
    expect(files.has(at('lib/microservices-stack.ts'))).toBe(true);
    expect(files.has(at('functions/downcase/routes.ts'))).toBe(true);
    expect(files.has(at('functions/downcase/handler.ts'))).toBe(false);
    expect(files.has(at('functions/bench/noop.ts'))).toBe(false);
  });
});
