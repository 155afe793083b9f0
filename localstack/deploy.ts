/**
 * Deploys the CDK app to an AWS-compatible endpoint (the embedded MiniStack,
 * or LocalStack/MiniStack in Docker): synthesises while bootstrapping,
 * bootstraps only once per stack, deploys, and writes the outputs file the
 * tests and `npm run tail` read.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import {
  CloudFormationClient,
  CreateStackCommand,
  DescribeStacksCommand,
  waitUntilStackCreateComplete,
} from '@aws-sdk/client-cloudformation';
import { apiBaseUrl, type Deployment, STACK_NAME } from '../lib/stack-outputs.js';
import { deployFiles, LOCALSTACK_DIR, type Log, STATE_DIR } from './ministack.js';

const ROOT = path.resolve(LOCALSTACK_DIR, '..');
const BIN = path.join(ROOT, 'node_modules', '.bin');
/** The emulators' fixed account and a region. */
const LOCAL_ACCOUNT = '000000000000';
const LOCAL_REGION = 'us-east-1';

/** Where `npm start` leaves the deployment description of the local stack. */
export const LOCAL_DEPLOYMENT_FILE = path.join(STATE_DIR, 'deployment.json');

/**
 * Environment that points the AWS SDK and the CDK CLI at a local endpoint with
 * the emulator's dummy credentials. It also turns off the CDK's built-in
 * CloudFormation validation for local synths (2.5 s of each one): the infra
 * tests synthesise with it on and fail on any finding, and a deploy to AWS
 * (`npm run deploy`) keeps it.
 */
export function localAwsEnv(endpoint: string): NodeJS.ProcessEnv {
  return {
    CDK_VALIDATION: 'false',
    AWS_ENDPOINT_URL: endpoint,
    AWS_ENDPOINT_URL_S3: endpoint,
    AWS_ACCESS_KEY_ID: 'test',
    AWS_SECRET_ACCESS_KEY: 'test',
    AWS_REGION: LOCAL_REGION,
    AWS_DEFAULT_REGION: LOCAL_REGION,
    CDK_DEFAULT_ACCOUNT: LOCAL_ACCOUNT,
    CDK_DEFAULT_REGION: LOCAL_REGION,
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
  };
}

/** SDK client settings for a local endpoint, with the credentials of {@link localAwsEnv}. */
export function localClientConfig(endpoint: string) {
  const env = localAwsEnv(endpoint);
  return {
    endpoint,
    region: env.AWS_REGION,
    credentials: {
      accessKeyId: env.AWS_ACCESS_KEY_ID ?? 'test',
      secretAccessKey: env.AWS_SECRET_ACCESS_KEY ?? 'test',
    },
  };
}

/** Lines of child output that say nothing about this project: npm's complaint about a machine-wide setting. */
const NOISE = /npm warn Unknown (user|env) config/;

/** The longest a synth, bootstrap or deploy may take before it is stopped (a first deploy takes well under one). */
const COMMAND_TIMEOUT_MS = 15 * 60_000;

/** Runs a command in the project, handing each output line to `log`; rejects with the last lines on failure. */
export function runLogged(command: string, args: string[], env: NodeJS.ProcessEnv, log: Log): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      cwd: ROOT,
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
      // A deploy against a hung emulator fails instead of waiting forever.
      timeout: COMMAND_TIMEOUT_MS,
    });
    const recent: string[] = [];
    const onData = (chunk: Buffer) => {
      for (const line of chunk.toString('utf8').split('\n')) {
        if (!line.trim() || NOISE.test(line)) continue;
        recent.push(line);
        if (recent.length > 40) recent.shift();
        log(line);
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.on('error', reject);
    child.on('close', (code, signal) =>
      code === 0
        ? resolve()
        : reject(
            new Error(
              `${path.basename(command)} ${args[0]} failed (${signal ? `${signal}: over ${COMMAND_TIMEOUT_MS / 60_000} min` : `exit ${code}`}):\n${recent.join('\n')}`,
            ),
          ),
    );
  });
}

/** The CDK CLI's own bootstrap template: what `cdk bootstrap` deploys as the CDKToolkit stack. */
const BOOTSTRAP_TEMPLATE = path.join(ROOT, 'node_modules/aws-cdk/lib/api/bootstrap/bootstrap-template.yaml');
const TOOLKIT_STACK = 'CDKToolkit';
/** The execution policy `cdk bootstrap` gives CloudFormation when told none. */
const ADMINISTRATOR_ACCESS = 'arn:aws:iam::aws:policy/AdministratorAccess';

/**
 * Bootstraps a local endpoint (once per stack) as `cdk bootstrap` does, with
 * the CLI's template and the parameters it passes by default, as one
 * CreateStack: starting the CLI for it would cost 2-3 s of CPU beside the synth.
 * Returns false when it was bootstrapped already.
 */
async function bootstrapLocal(endpoint: string, log: Log): Promise<boolean> {
  const client = new CloudFormationClient(localClientConfig(endpoint));
  try {
    const existing = await client
      .send(new DescribeStacksCommand({ StackName: TOOLKIT_STACK }))
      .then((result) => result.Stacks ?? [])
      .catch(() => []);
    if (existing.some((stack) => stack.StackStatus?.endsWith('_COMPLETE'))) return false;
    log(`creating the ${TOOLKIT_STACK} stack from the CDK CLI's bootstrap template ...`);
    await client.send(
      new CreateStackCommand({
        StackName: TOOLKIT_STACK,
        TemplateBody: readFileSync(BOOTSTRAP_TEMPLATE, 'utf8'),
        Capabilities: ['CAPABILITY_NAMED_IAM'],
        Parameters: [
          { ParameterKey: 'CloudFormationExecutionPolicies', ParameterValue: ADMINISTRATOR_ACCESS },
          { ParameterKey: 'FileAssetsBucketKmsKeyId', ParameterValue: 'AWS_MANAGED_KEY' },
        ],
      }),
    );
    await waitUntilStackCreateComplete(
      { client, maxWaitTime: COMMAND_TIMEOUT_MS / 1000, minDelay: 1, maxDelay: 1 },
      { StackName: TOOLKIT_STACK },
    );
    return true;
  } finally {
    client.destroy();
  }
}

/** What a deploy to `endpoint` writes (by the port of its stack). */
const deployFilesOf = (endpoint: string) => deployFiles(new URL(endpoint).port || 'default');

/** Where {@link deployLocal} leaves the cloud assembly it deployed to `endpoint`. */
export function assemblyDirectory(endpoint: string): string {
  return deployFilesOf(endpoint).assembly;
}

/**
 * Synthesises the app into the cloud assembly `outdir` by running cdk.json's
 * `app` command as the CDK CLI would (the cloud assembly protocol: the output
 * folder in CDK_OUTDIR, cdk.json's context plus `context` in CDK_CONTEXT_JSON),
 * without the CLI itself: starting it costs about a second of every synth, and
 * a local synth needs none of what it adds (context lookups, notices).
 */
function synthesise(outdir: string, env: NodeJS.ProcessEnv, context: Record<string, string>, log: Log) {
  const cdkJson = JSON.parse(readFileSync(path.join(ROOT, 'cdk.json'), 'utf8')) as {
    app: string;
    context?: Record<string, unknown>;
  };
  // Context in the CLI's order: cdk.json, then cdk.context.json (lookups kept by a deploy to AWS), then ours.
  const contextFile = path.join(ROOT, 'cdk.context.json');
  const kept = existsSync(contextFile) ? (JSON.parse(readFileSync(contextFile, 'utf8')) as object) : {};
  const [command = 'node', ...args] = cdkJson.app.split(/\s+/);
  rmSync(outdir, { recursive: true, force: true });
  return runLogged(
    command === 'node' ? process.execPath : command,
    args,
    {
      ...env,
      CDK_OUTDIR: outdir,
      CDK_CONTEXT_JSON: JSON.stringify({ ...cdkJson.context, ...kept, ...context }),
    },
    log,
  );
}

/** Synthesises the app (without deploying) into `outdir`; returns the stack's template. */
export async function synthTemplate(
  endpoint: string,
  outdir: string,
  context: Record<string, string> = {},
): Promise<unknown> {
  await synthesise(outdir, localAwsEnv(endpoint), context, () => {});
  return JSON.parse(readFileSync(path.join(outdir, `${STACK_NAME}.template.json`), 'utf8'));
}

export interface LocalDeployOptions {
  endpoint: string;
  /** Where to write the {@link Deployment} description. */
  deploymentFile: string;
  /** Extra CDK context, e.g. `{ bench: 'true' }`. */
  context?: Record<string, string>;
  /**
   * Stack tags (`cdk deploy --tags`), which CloudFormation puts on every
   * resource: a deploy that changes them updates every resource, even with an
   * unchanged template (the health test's redeploy).
   */
  tags?: Record<string, string>;
  /** Settles once the endpoint answers, when it is still starting: the synth does not wait for it. */
  stackReady?: Promise<void>;
  log?: Log;
}

/** Seconds each phase of {@link deployLocal} took; synth and bootstrap run side by side. */
export interface DeployPhases {
  synth: number;
  /** 0 when the endpoint was already bootstrapped. */
  bootstrap: number;
  deploy: number;
}

const secondsSince = (started: number) => (Date.now() - started) / 1000;

/** Bootstraps (once) and deploys the app to a local endpoint; returns what was deployed and how long each phase took. */
export async function deployLocal({
  endpoint,
  deploymentFile,
  context = {},
  tags = {},
  log = console.log,
  stackReady = Promise.resolve(),
}: LocalDeployOptions): Promise<Deployment & { phases: DeployPhases }> {
  const env = localAwsEnv(endpoint);
  const { assembly, outputs: rawOutputs } = deployFilesOf(endpoint);
  mkdirSync(STATE_DIR, { recursive: true });
  const prefixed = (tag: string) => (line: string) => log(`[${tag}] ${line}`);

  const started = Date.now();
  const synth = synthesise(assembly, env, context, prefixed('synth')).then(() => secondsSince(started));
  const bootstrap = stackReady
    .then(() => bootstrapLocal(endpoint, prefixed('bootstrap')))
    .then((created) => (created ? secondsSince(started) : 0));
  const [synthSeconds, bootstrapSeconds] = await Promise.all([synth, bootstrap]);
  const deployStarted = Date.now();

  log(`[deploy] deploying ${STACK_NAME} to ${endpoint} ...`);
  await runLogged(
    path.join(BIN, 'cdklocal'),
    [
      'deploy',
      STACK_NAME,
      '--app',
      assembly,
      '--require-approval',
      'never',
      // CreateStack/UpdateStack straight away: a change set costs a local deploy ~1.3 s and is reviewed by no one.
      '--method',
      'direct',
      '--progress',
      'events',
      '--outputs-file',
      rawOutputs,
      ...Object.entries(tags).flatMap(([key, value]) => ['--tags', `${key}=${value}`]),
    ],
    env,
    prefixed('deploy'),
  );
  const raw = JSON.parse(readFileSync(rawOutputs, 'utf8')) as Record<string, Record<string, string>>;
  const outputs = raw[STACK_NAME] ?? {};
  const deployment: Deployment = { endpoint, apiBaseUrl: apiBaseUrl(outputs, endpoint), outputs };
  writeFileSync(deploymentFile, `${JSON.stringify(deployment, null, 2)}\n`);
  return {
    ...deployment,
    phases: { synth: synthSeconds, bootstrap: bootstrapSeconds, deploy: secondsSince(deployStarted) },
  };
}
