import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { CloudWatchLogsClient, FilterLogEventsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { LambdaClient } from '@aws-sdk/client-lambda';
import { SNSClient } from '@aws-sdk/client-sns';
import { type Message, SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { inject } from 'vitest';
import { stackResources } from '../../lib/stack-outputs.js';
import { localClientConfig } from '../../localstack/deploy.js';
import { drainQueue as drainQueueWith } from '../support/queues.js';
import { waitFor } from '../support/wait-for.js';

export { waitFor };

export const deployment = inject('deployment');
export const outputs = deployment.outputs;
/** The deployed resources, by their declarations: `resources.table(moviesService, 'movies')`. */
export const resources = stackResources(outputs);
/** The deployment as a file, for scripts run by the tests (`--deployment`). */
export const deploymentFile = inject('deploymentFile');

/** What a script run by {@link runScript} printed, and its exit status. */
export interface ScriptRun {
  status: number;
  stdout: string;
  stderr: string;
}

/**
 * Runs one of the project's scripts (`bin/admin.ts` ...) on the test
 * deployment (`--deployment` added), without blocking the test's event loop;
 * resolves whatever its exit status.
 */
export async function runScript(
  script: string,
  args: readonly string[],
  env: NodeJS.ProcessEnv = {},
): Promise<ScriptRun> {
  try {
    const { stdout, stderr } = await promisify(execFile)(
      path.resolve('node_modules/.bin/tsx'),
      [script, ...args, '--deployment', deploymentFile],
      { encoding: 'utf8', env: { ...process.env, ...env } },
    );
    return { status: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code?: unknown; stdout?: string; stderr?: string };
    return {
      status: typeof failed.code === 'number' ? failed.code : -1,
      stdout: failed.stdout ?? '',
      stderr: failed.stderr ?? String(error),
    };
  }
}

/** `npm run tail` running on the test deployment, with what it has printed so far. */
export interface RunningTail {
  process: ChildProcess;
  stdout: () => string;
  stderr: () => string;
  /** Resolves with its exit code. */
  exited: Promise<number | null>;
}

/** Starts `npm run tail -- <args>` (its script through tsx) on the test deployment. */
export function startTail(args: readonly string[]): RunningTail {
  const child = spawn(
    path.resolve('node_modules/.bin/tsx'),
    ['bin/tail.ts', '--deployment', deploymentFile, ...args],
    {
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (chunk) => (stdout += chunk));
  child.stderr?.on('data', (chunk) => (stderr += chunk));
  // 'close', not 'exit': it comes once the process's stdout and stderr have been read to their end.
  const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
  return { process: child, stdout: () => stdout, stderr: () => stderr, exited };
}

const endpoint = deployment.endpoint ?? '';
export const clientConfig = localClientConfig(endpoint);
export const sqs = new SQSClient(clientConfig);
export const sns = new SNSClient(clientConfig);
export const logs = new CloudWatchLogsClient(clientConfig);
export const lambda = new LambdaClient(clientConfig);
export const dynamo = DynamoDBDocumentClient.from(new DynamoDBClient(clientConfig));

export interface ApiResponse<T = any> {
  status: number;
  body: T;
  headers: Headers;
}

/** Calls the deployed API: `api('downcase?param=x')`. */
export async function api<T = any>(pathAndQuery: string, init: RequestInit = {}): Promise<ApiResponse<T>> {
  // A request that never answers fails the test here rather than at the test's own timeout.
  const response = await fetch(new URL(pathAndQuery, deployment.apiBaseUrl), {
    signal: AbortSignal.timeout(60_000),
    ...init,
  });
  const text = await response.text();
  const json = /json/.test(response.headers.get('content-type') ?? '');
  return { status: response.status, body: text && json ? JSON.parse(text) : text, headers: response.headers };
}

/** Drains a queue of the deployed stack (see test/support/queues.ts). */
export const drainQueue = (queueUrl: string, maxMs?: number): Promise<Message[]> =>
  drainQueueWith(sqs, queueUrl, maxMs);

/**
 * Sends a message that is no RPC envelope to a service's request queue and
 * waits for it in the queue's dead-letter queue (emptied first): a poison
 * request is parked at once, not retried.
 */
export async function parkPoison(queueUrl: string, dlqUrl: string): Promise<Message> {
  await drainQueue(dlqUrl);
  const marker = `poison-${randomUUID()}`;
  await sqs.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: `not an envelope ${marker}` }));
  return waitFor('the poison message in the DLQ', async () =>
    (await drainQueue(dlqUrl)).find((m) => m.Body?.includes(marker)),
  );
}

/** Every line of a log group containing `term`. */
export async function logLines(logGroupName: string, term: string): Promise<string[]> {
  const lines: string[] = [];
  let nextToken: string | undefined;
  do {
    const page = await logs.send(
      new FilterLogEventsCommand({ logGroupName, filterPattern: `"${term}"`, nextToken }),
    );
    lines.push(...(page.events ?? []).map((e) => e.message ?? ''));
    nextToken = page.nextToken;
  } while (nextToken);
  return lines;
}
