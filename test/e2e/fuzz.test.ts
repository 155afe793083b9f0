import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureSchemathesis } from '../../localstack/ministack.js';
import { documentedRoutes } from '../support/template-routes.js';
import { call, signUpAdmin } from './people.js';
import { api, deployment } from './support.js';

/**
 * The document-driven fuzz tier: Schemathesis (pinned, installed into
 * localstack/.venv with MiniStack) reads the deployed API's own
 * /openapi.json and calls every operation with generated valid and invalid
 * data, checking each answer against the document. The budget is fixed
 * (examples per operation, seed, workers) so the tier takes the same work
 * every run; test/e2e/schemathesis.toml says which checks are off and why.
 */
const BUDGET = { maxExamples: 5, seed: 20261122, workers: 2 };
const CONFIG = fileURLToPath(new URL('./schemathesis.toml', import.meta.url));
/** Works around two bugs in the tools (Python's and Schemathesis's); the file says which. */
const HOOKS = fileURLToPath(new URL('./schemathesis_hooks.py', import.meta.url));
const SCHEMATHESIS = ensureSchemathesis(); // found: npm test's pre-script or the e2e global setup installed it
/**
 * The tokens the fuzzer sends, all in one place: each becomes the
 * environment variable schemathesis.toml reads for a security scheme. The
 * fuzzer is an admin, so every route is reached (but its own DELETE
 * /users/me, which would end its session halfway through the run: see
 * schemathesis.toml); it holds a booking, so the bookings routes have one.
 */
async function fuzzTokens(): Promise<Record<string, string>> {
  const fuzzer = await signUpAdmin('fuzzer');
  const movie = await call('POST', 'movies', {
    as: fuzzer,
    body: { title: 'Fuzz', rating: 5, showtimes: [{ startsAt: '2036-12-24T20:00:00Z', seats: 100 }] },
  });
  expect(movie.status).toBe(201);
  const booking = await call('POST', 'bookings', {
    as: fuzzer,
    body: { movieId: movie.body.id, showtimeId: movie.body.showtimes[0].id, seats: 1 },
  });
  expect(booking.status).toBe(201);
  return { FUZZ_TOKEN: fuzzer.accessToken };
}

/**
 * What is wrong with a value under a JSON Schema (2020-12), by the validator
 * Schemathesis itself uses (jsonschema_rs, in its Python environment): the
 * response schema of a geometry holds tuples (see schemathesis_hooks.py).
 */
function schemaErrors(schema: unknown, value: unknown): string[] {
  const python = path.join(path.dirname(SCHEMATHESIS), 'python');
  const script = [
    'import sys, json, jsonschema_rs',
    'schema, value = json.load(sys.stdin)',
    'print(json.dumps([e.message for e in jsonschema_rs.validator_for(schema).iter_errors(value)]))',
  ].join('\n');
  return JSON.parse(
    execFileSync(python, ['-c', script], { input: JSON.stringify([schema, value]) }).toString(),
  );
}

interface RunReport {
  exit_code: number;
  running_time: number;
  operations: { total: number; selected: number; tested: number; errored: number };
  test_cases: { generated: number };
  failures: Array<{ code: string; title: string; count: number; operations: string[] }>;
  errors: unknown[];
}

interface HarEntry {
  request: { method: string; url: string };
  response: { status: number };
}

interface Run {
  exitCode: number | null;
  output: string;
  report: RunReport;
  /** Every request the run sent, with the status it got (from the HAR). */
  exchanges: Array<{ method: string; path: string; status: number }>;
  seconds: number;
}

function runSchemathesis(reportDir: string, env: Record<string, string>): Promise<Run> {
  const started = Date.now();
  const reportFile = path.join(reportDir, 'report.json');
  const harFile = path.join(reportDir, 'requests.har');
  const args = [
    '--config-file',
    CONFIG,
    'run',
    new URL('openapi.json', deployment.apiBaseUrl).href,
    '--url',
    deployment.apiBaseUrl.replace(/\/$/, ''),
    '--max-examples',
    String(BUDGET.maxExamples),
    '--seed',
    String(BUDGET.seed),
    '--workers',
    String(BUDGET.workers),
    '--report',
    'json,har',
    '--report-json-path',
    reportFile,
    '--report-har-path',
    harFile,
    '--no-color',
  ];
  return new Promise((resolve, reject) => {
    const child = spawn(SCHEMATHESIS, args, {
      cwd: reportDir,
      env: { ...process.env, ...env, SCHEMATHESIS_HOOKS: HOOKS, NO_COLOR: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk) => {
      output += chunk;
    });
    child.stderr.on('data', (chunk) => {
      output += chunk;
    });
    child.on('error', reject);
    child.on('close', (exitCode) => {
      try {
        const report = JSON.parse(readFileSync(reportFile, 'utf8')) as RunReport;
        const har = JSON.parse(readFileSync(harFile, 'utf8')) as { log: { entries: HarEntry[] } };
        resolve({
          exitCode,
          output,
          report,
          exchanges: har.log.entries.map(({ request, response }) => ({
            method: request.method,
            path: new URL(request.url).pathname,
            status: response.status,
          })),
          seconds: (Date.now() - started) / 1000,
        });
      } catch (error) {
        reject(new Error(`Schemathesis wrote no report (exit ${exitCode}):\n${output}`, { cause: error }));
      }
    });
  });
}

let reportDir: string;
let run: Run;

beforeAll(async () => {
  reportDir = mkdtempSync(path.join(tmpdir(), 'fuzz-'));
  run = await runSchemathesis(reportDir, await fuzzTokens());
  console.log(
    `[fuzz] Schemathesis: ${run.report.operations.tested} operations, ${run.report.test_cases.generated} test cases, ` +
      `${run.exchanges.length} requests recorded (HAR) in ${run.seconds.toFixed(1)} s`,
  );
}, 480_000);

afterAll(() => {
  if (reportDir) rmSync(reportDir, { recursive: true, force: true });
});

describe('the API driven from its own document (Schemathesis)', () => {
  it('tests every operation the document declares', async () => {
    const document = (await api('openapi.json')).body as { paths: Record<string, object> };
    const declared = documentedRoutes(document).length;
    // GET /openapi.json is where Schemathesis reads the document; it tests every other operation
    // but DELETE /users/me, turned off in schemathesis.toml (it would delete the fuzzer).
    const total = declared - 1;
    const tested = total - 1;
    expect(run.report.operations).toMatchObject({ total, selected: tested, tested, errored: 0 });
    expect(run.exchanges.some((e) => e.method === 'DELETE' && /\/users\/me$/.test(e.path))).toBe(false);
    expect(run.report.test_cases.generated).toBeGreaterThan(tested * 10);
  });

  it('adds the documented example thing and reads its geometry back as the document describes it', async () => {
    // The run added it (its stateful phase may delete it before reading it back): here it is read.
    expect(
      run.exchanges.some((e) => e.method === 'POST' && /\/things$/.test(e.path) && e.status === 201),
    ).toBe(true);
    // An admin of its own: the fuzzer's token may be refused by now (the run fuzzes the session routes).
    const admin = await signUpAdmin('geometry');
    const document = (await api('openapi.json')).body;
    const [example] = document.paths['/things'].post.requestBody.content['application/json'].schema.examples;
    const added = await call('POST', 'things', { as: admin, body: example });
    expect(added.status).toBe(201);
    const geometry = await call('GET', `things/${added.body.id}/geometry`, { as: admin });
    expect(geometry.status).toBe(200);
    expect(geometry.body).toEqual(example.geometry);
    const schema =
      document.paths['/things/{id}/geometry'].get.responses['200'].content['application/json'].schema;
    expect(schemaErrors(schema, geometry.body)).toEqual([]);
    expect((await call('DELETE', `things/${added.body.id}`, { as: admin })).status).toBe(204);
  });

  it('finds no failure: no 5xx, every status, content type and body as documented', () => {
    // On failure, Schemathesis's own summary (with curl reproductions) is the message.
    expect(run.report.failures, run.output).toEqual([]);
    expect(run.report.errors, run.output).toEqual([]);
    expect(run.exitCode, run.output).toBe(0);
  });
});
