// The Python side of the local stack: MiniStack (and, for the tests,
// Schemathesis), pinned, from PyPI into the virtualenv localstack/.venv.
// Plain Node, no dependencies: `ensure-deps.mjs` runs it beside `npm install`
// on a fresh clone (`node localstack/python-env.mjs stack [test-tools]`), and
// `ministack.ts` imports it (types in python-env.d.mts).
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, realpathSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const MINISTACK_VERSION = '1.5.33';
/** Schemathesis: the document-driven API fuzzer of the e2e tier (test/e2e/fuzz.test.ts). */
const SCHEMATHESIS_VERSION = '4.32.5';

const VENV_DIR = join(dirname(fileURLToPath(import.meta.url)), '.venv');
const VENV_PYTHON = join(VENV_DIR, 'bin', 'python');
/** Each installed package's pinned requirement, by package name. */
const INSTALLED_FILE = join(VENV_DIR, 'installed.json');
const MIN_PYTHON = [3, 10];

/** The sets of packages, each with the command that shows it is installed. */
const PYTHON_SETS = {
  /** What the local stack runs on, installed by `npm start` and everything else that starts it. */
  stack: {
    what: `MiniStack ${MINISTACK_VERSION}`,
    bin: join(VENV_DIR, 'bin', 'ministack'),
    packages: [
      `ministack==${MINISTACK_VERSION}`,
      // MiniStack's optional dependency for real RS256 Cognito tokens: without it
      // tokens carry random signatures and the JWKS is a dummy, so no verifier can
      // accept them. (Its `full` extra has it, with database drivers we do not need.)
      'cryptography==50.0.2',
    ],
  },
  /** What only the tests add (about 8 s of installing that `npm start` does without). */
  'test-tools': {
    what: `Schemathesis ${SCHEMATHESIS_VERSION}`,
    bin: join(VENV_DIR, 'bin', 'st'),
    packages: [`schemathesis==${SCHEMATHESIS_VERSION}`],
  },
};

/** Finds a python3 >= 3.10, or explains what is missing. */
function findPython() {
  const candidates = [process.env.PYTHON, 'python3', 'python'].filter(Boolean);
  for (const candidate of candidates) {
    const probe = spawnSync(candidate, ['-c', 'import sys; print("%d.%d" % sys.version_info[:2])'], {
      encoding: 'utf8',
    });
    if (probe.status !== 0) continue;
    const [major = 0, minor = 0] = probe.stdout.trim().split('.').map(Number);
    if (major > MIN_PYTHON[0] || (major === MIN_PYTHON[0] && minor >= MIN_PYTHON[1])) return candidate;
  }
  throw new Error(
    `The local stack needs Python >= ${MIN_PYTHON.join('.')} (python3 with venv and pip), and none was found.\n` +
      '  Install it (e.g. apt-get install python3 python3-venv), set PYTHON=/path/to/python3,\n' +
      '  or point AWS_ENDPOINT_URL at a LocalStack/MiniStack you run yourself (see localstack/compose.yaml).',
  );
}

function run(command, args, log) {
  const result = spawnSync(command, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  if (result.status !== 0) {
    log(result.stdout);
    log(result.stderr);
    throw new Error(`${command} ${args.join(' ')} failed with exit code ${result.status}`);
  }
}

const packageName = (requirement) => requirement.split('==')[0];

function readInstalled() {
  if (!existsSync(INSTALLED_FILE)) return {};
  try {
    return JSON.parse(readFileSync(INSTALLED_FILE, 'utf8'));
  } catch {
    return {}; // unreadable: install again
  }
}

/** True when every package of the set is installed at its pin. */
export function isInstalled(name) {
  const { packages, bin } = PYTHON_SETS[name];
  const installed = readInstalled();
  return (
    existsSync(bin) && packages.every((requirement) => installed[packageName(requirement)] === requirement)
  );
}

/** Installs the set into localstack/.venv (made first if missing) unless it is there; returns its command. */
export function ensurePythonSet(name, log = console.log) {
  const { what, bin, packages } = PYTHON_SETS[name];
  if (isInstalled(name)) return bin;
  const python = findPython();
  log(`[stack] installing ${what} from PyPI into localstack/.venv ...`);
  if (!existsSync(VENV_PYTHON)) run(python, ['-m', 'venv', VENV_DIR], log);
  run(VENV_PYTHON, ['-m', 'pip', 'install', '--quiet', '--disable-pip-version-check', ...packages], log);
  const now = { ...readInstalled(), ...Object.fromEntries(packages.map((r) => [packageName(r), r])) };
  // Replaced whole, so a process reading it meanwhile never sees half of it.
  const staging = `${INSTALLED_FILE}.${process.pid}`;
  writeFileSync(staging, `${JSON.stringify(now, null, 2)}\n`);
  renameSync(staging, INSTALLED_FILE);
  log(`[stack] ${what} installed`);
  return bin;
}

// `node localstack/python-env.mjs <set> [<set> ...]`: installs those sets, in turn (one venv, one pip at a time).
// (Node gives import.meta.url the real path of the file; argv may name it through a symlink.)
if (process.argv[1] && realpathSync(process.argv[1]) === fileURLToPath(import.meta.url)) {
  try {
    for (const name of process.argv.slice(2)) {
      if (!(name in PYTHON_SETS)) throw new Error(`no Python package set "${name}"`);
      ensurePythonSet(name);
    }
  } catch (error) {
    console.error(`[stack] ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  }
}
