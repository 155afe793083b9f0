/**
 * Function weight: every bundle's size (minified and gzipped) and module load
 * time (the part of a Lambda cold start the code controls: `require` of
 * index.js, median of fresh Node processes), beside four baselines bundled
 * the same way in the same run: an empty handler, one that only creates a
 * DynamoDB document client and an SNS client, that one plus the HTTP
 * layer every HTTP function shares (middy, Powertools logger and metrics, zod/mini),
 * for what is the functions' own weight, and that one plus the SQS client of
 * every RPC call: the floor of a function that calls another service.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { gzipSync } from 'node:zlib';
import { buildSync } from 'esbuild';
import { queueAndLogGroupEnvNames, SERVICES, tableEnvNames } from '../../functions/services.js';
import { ENV, rpcQueueEnv } from '../../functions/shared/env-names.js';
import { bundleOptions } from '../../lib/bundles/build-options.js';
import { BUILD_DIR } from '../../lib/bundles/build-store.js';
import { PROJECT_ROOT } from '../../lib/project-root.js';
import { percentile } from './stats.js';

const LOAD_RUNS = 10;
/**
 * 400 KB until the live settings joined the HTTP layer: Powertools Parameters
 * and the SSM client add about 100 KB minified to every function. They add
 * load time too, which the load-time target below (against the DynamoDB+SNS
 * baseline) counts: the table's last column shows each function beside the
 * layer it shares.
 */
const MAX_HTTP_BUNDLE_KB = 500;
const MAX_LOAD_RATIO = 1.25;
const BASELINES = {
  'baseline: empty handler': 'empty.ts',
  'baseline: DynamoDB + SNS clients': 'dynamodb-sns.ts',
  'baseline: the above + HTTP layer': 'dynamodb-sns-http.ts',
  'baseline: the above + SQS (RPC)': 'dynamodb-sns-sqs-http.ts',
} as const;
const DYNAMO_SNS = 'baseline: DynamoDB + SNS clients';
const WITH_HTTP_LAYER = 'baseline: the above + HTTP layer';
const WITH_RPC = 'baseline: the above + SQS (RPC)';

/** Every variable a function's env module requires at cold start, with placeholder values. */
const LOAD_ENV: NodeJS.ProcessEnv = {
  ...process.env,
  ...Object.fromEntries(
    [
      // As deployed by default: no fault injection.
      ...Object.values(ENV).filter((name) => name !== ENV.faultInjection),
      ...tableEnvNames(),
      ...queueAndLogGroupEnvNames(),
      // URLs must parse (the console builds its page's connect-src from one).
    ].map((name) => [
      name,
      name.endsWith('_URL') ? `http://localhost/${name.toLowerCase()}` : `bench-${name.toLowerCase()}`,
    ]),
  ),
  ...Object.fromEntries(
    SERVICES.filter((s) => s.rpc).map((s) => [rpcQueueEnv(s.name), `http://localhost/${s.name}`]),
  ),
  // The health functions read every service's checks as JSON at cold start.
  [ENV.healthChecks]: '{}',
  POWERTOOLS_SERVICE_NAME: 'bench',
  POWERTOOLS_METRICS_NAMESPACE: 'bench',
  POWERTOOLS_LOG_LEVEL: 'SILENT',
  AWS_REGION: 'us-east-1',
  AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
};

interface Measured {
  name: string;
  http: boolean;
  kb: number;
  gzipKb: number;
  loadMs: number;
}

/** Milliseconds one fresh Node process spends in `require(file)`. */
function loadOnce(file: string): number {
  const out = execFileSync(
    process.execPath,
    [
      '-e',
      `const t=performance.now();require(${JSON.stringify(file)});process.stdout.write(String(performance.now()-t))`,
    ],
    // LAMBDA_TASK_ROOT as on Lambda: the bundle's folder.
    {
      env: { ...LOAD_ENV, LAMBDA_TASK_ROOT: path.dirname(file) },
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  return Number(out);
}

/** Builds the functions and the baselines the same way, measures them, and prints a table; checks the targets. */
export function functionsBench(check: (target: string, ok: boolean) => void): void {
  const options = bundleOptions();
  const outdir = path.join(BUILD_DIR, '..', 'bench');
  rmSync(outdir, { recursive: true, force: true });
  const entryPoints: Record<string, string> = { ...(options.entryPoints as Record<string, string>) };
  for (const [name, file] of Object.entries(BASELINES))
    entryPoints[`${name}/index`] = path.join(PROJECT_ROOT, 'test', 'bench', 'baselines', file);
  const result = buildSync({
    ...options,
    entryPoints,
    outdir,
    absWorkingDir: PROJECT_ROOT,
    write: true,
    metafile: true,
    logLevel: 'error',
  });
  // Read as CommonJS, as Lambda does, though the project is ESM.
  writeFileSync(path.join(outdir, 'package.json'), '{ "type": "commonjs" }\n');
  const middleware = path.join('functions', 'shared', 'http', 'middleware.ts');

  const bundles = Object.keys(entryPoints).map((out) => {
    const file = path.join(outdir, `${out}.js`);
    const output = result.metafile.outputs[path.relative(PROJECT_ROOT, file)];
    const name = out.split('/')[0] as string;
    const http = !(name in BASELINES) && Boolean(output && middleware in output.inputs);
    return { name, file, http };
  });
  const samples = new Map<string, number[]>(bundles.map((b) => [b.name, []]));
  // Interleaved rounds, so a busy moment on the machine weighs on every bundle alike.
  for (let run = 0; run < LOAD_RUNS; run++)
    for (const bundle of bundles) samples.get(bundle.name)?.push(loadOnce(bundle.file));

  const measured: Measured[] = bundles.map((bundle) => {
    const code = readFileSync(bundle.file);
    return {
      name: bundle.name,
      http: bundle.http,
      kb: code.length / 1024,
      gzipKb: gzipSync(code).length / 1024,
      loadMs: percentile(samples.get(bundle.name) ?? [], 50),
    };
  });
  const baseline = measured.find((m) => m.name === DYNAMO_SNS) as Measured;
  const withHttpLayer = measured.find((m) => m.name === WITH_HTTP_LAYER) as Measured;
  const withRpc = measured.find((m) => m.name === WITH_RPC) as Measured;

  console.log(`\nfunction bundles: size and module load time (median of ${LOAD_RUNS} fresh processes)`);
  console.log(
    '  bundle                            | minified KB | gzip KB | load ms | / DynamoDB+SNS | / + HTTP layer',
  );
  for (const m of measured) {
    console.log(
      `  ${`${m.name}${m.http ? ' (HTTP)' : ''}`.padEnd(34)}| ${m.kb.toFixed(0).padStart(11)} | ${m.gzipKb.toFixed(0).padStart(7)} | ${m.loadMs.toFixed(1).padStart(7)} | ${`${(m.loadMs / baseline.loadMs).toFixed(2)}x`.padStart(14)} | ${(m.loadMs / withHttpLayer.loadMs).toFixed(2)}x`,
    );
  }
  const http = measured.filter((m) => m.http);
  const heaviest = http.reduce((a, b) => (b.kb > a.kb ? b : a));
  const slowest = http.reduce((a, b) => (b.loadMs > a.loadMs ? b : a));
  check(
    `every HTTP bundle <= ${MAX_HTTP_BUNDLE_KB} KB minified (largest: ${heaviest.name} ${heaviest.kb.toFixed(0)} KB)`,
    heaviest.kb <= MAX_HTTP_BUNDLE_KB,
  );
  check(
    `every HTTP bundle loads in <= ${MAX_LOAD_RATIO}x the DynamoDB+SNS baseline (slowest: ${slowest.name} ${(slowest.loadMs / baseline.loadMs).toFixed(2)}x; ` +
      `the HTTP layer alone ${(withHttpLayer.loadMs / baseline.loadMs).toFixed(2)}x, with the RPC client ${(withRpc.loadMs / baseline.loadMs).toFixed(2)}x)`,
    slowest.loadMs <= MAX_LOAD_RATIO * baseline.loadMs,
  );
  rmSync(outdir, { recursive: true, force: true });
}
