#!/usr/bin/env node
// Runs before `npm start` / `npm test` (as their pre-scripts), in plain Node
// because nothing else is installed yet on a fresh clone: installs the npm
// packages when node_modules is missing or older than package-lock.json.
// `--stack` also installs the local stack's Python packages (unless
// AWS_ENDPOINT_URL names another stack: it needs none), and `--test-tools`
// them and the tests' fuzzer (the tests always start a stack of their own),
// in a child process beside `npm install`: on a fresh clone the two take
// about as long as each other.
// `npm install` rather than `npm ci`: registries that mirror only some
// platforms' optional binaries (Biome's, here) make `npm ci` reject the lock
// file, while `npm install` installs from it and skips what is absent.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { isInstalled } from './python-env.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const lock = join(root, 'package-lock.json');
const installed = join(root, 'node_modules', '.package-lock.json');

const [major, minor] = process.versions.node.split('.').map(Number);
if (major < 20 || (major === 20 && minor < 18)) {
  console.error(`Node.js >= 20.18 is required; this is ${process.version}.`);
  process.exit(1);
}

const pythonSets = [
  ...(process.argv.includes('--stack') && !process.env.AWS_ENDPOINT_URL ? ['stack'] : []),
  ...(process.argv.includes('--test-tools') ? ['stack', 'test-tools'] : []),
].filter((set, i, all) => all.indexOf(set) === i && !isInstalled(set));
const python =
  pythonSets.length === 0
    ? Promise.resolve(0)
    : new Promise((resolve) =>
        spawn(process.execPath, [join(root, 'localstack', 'python-env.mjs'), ...pythonSets], {
          stdio: 'inherit',
        }).on('exit', (code) => resolve(code ?? 1)),
      );

// `--browser`: the end-to-end tests drive Swagger UI in Debian's Chromium (no browser download exists here).
if (process.argv.includes('--browser') && !existsSync(process.env.CHROMIUM_PATH ?? '/usr/bin/chromium')) {
  const canApt = process.getuid?.() === 0 && spawnSync('apt-get', ['--version']).status === 0;
  if (!canApt) {
    console.error(
      "[setup] the tests need Chromium: install Debian's `chromium` package, or set CHROMIUM_PATH.",
    );
    process.exit(1);
  }
  console.log('[setup] installing Chromium from Debian packages (apt-get install chromium) ...');
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  spawnSync('apt-get', ['update', '-qq'], { stdio: 'inherit', env });
  const result = spawnSync('apt-get', ['install', '-y', '-qq', 'chromium'], { stdio: 'inherit', env });
  if (result.status !== 0) {
    console.error('[setup] apt-get install chromium failed; see the output above.');
    process.exit(result.status ?? 1);
  }
}

if (!existsSync(installed) || statSync(installed).mtimeMs < statSync(lock).mtimeMs) {
  console.log('[setup] installing npm packages ...');
  // --prefer-offline: what the npm cache holds is used without asking the registry whether it is
  // current (the lock file pins every version anyway); 3-9 s of a first install here.
  const result = spawnSync('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline'], {
    cwd: root,
    stdio: 'inherit',
  });
  if (result.status !== 0) {
    console.error('[setup] npm install failed; see the output above.');
    process.exit(result.status ?? 1);
  }
}

const pythonStatus = await python;
if (pythonStatus !== 0) {
  console.error('[setup] installing the Python packages failed; see the output above.');
  process.exit(pythonStatus);
}
