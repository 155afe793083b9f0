import { GetFunctionConfigurationCommand } from '@aws-sdk/client-lambda';
import { DeleteQueueCommand, GetQueueAttributesCommand } from '@aws-sdk/client-sqs';
import { beforeAll, describe, expect, it } from 'vitest';
import { healthService } from '../../functions/health/service.js';
import { DEPLOYABLE } from '../../functions/services.js';
import { METRIC, METRICS_NAMESPACE } from '../../functions/shared/metrics-catalog.js';
import { usersService } from '../../functions/users/service.js';
import { deployLocal } from '../../localstack/deploy.js';
import { emfDocumentsIn } from '../support/emf.js';
import { call, type Person, signUp, signUpAdmin } from './people.js';
import {
  type ApiResponse,
  deployment,
  deploymentFile,
  lambda,
  logLines,
  resources,
  sqs,
  waitFor,
} from './support.js';

interface Check {
  kind: string;
  name: string;
  ok: boolean;
  messages?: number;
  error?: string;
}
interface Line {
  name: string;
  status: 'up' | 'down';
  checks?: Check[];
}
interface Health {
  status: 'up' | 'down';
  services: Line[];
}

/** The services this deployment has (the bench's only with `-c bench=true`, which the e2e deploy does not set). */
const deployed = DEPLOYABLE.filter((s) => !s.benchOnly)
  .map((s) => s.name)
  .sort();

const lineOf = (response: ApiResponse<Health>, name: string): Line | undefined =>
  response.body.services.find((s) => s.name === name);

let admin: Person;
let user: Person;

beforeAll(async () => {
  [admin, user] = await Promise.all([signUpAdmin('health-admin'), signUp('health-user')]);
});

describe('GET /health', () => {
  it('answers 200 with one line per service, every one up, and each check only for an admin', async () => {
    const anonymous = await call<Health>('GET', 'health');
    expect(anonymous.status).toBe(200);
    expect(anonymous.body.status).toBe('up');
    expect(anonymous.body.services.map((s) => s.name)).toEqual(deployed);
    expect(anonymous.body.services).toEqual(deployed.map((name) => ({ name, status: 'up' })));

    const signedIn = await call<Health>('GET', 'health', { as: user });
    expect(signedIn.status).toBe(200);
    expect(signedIn.body.services).toEqual(deployed.map((name) => ({ name, status: 'up' })));

    const detailed = await call<Health>('GET', 'health', { as: admin });
    expect(detailed.status).toBe(200);
    expect(lineOf(detailed, 'users')?.checks?.map((c) => [c.kind, c.name, c.ok])).toEqual([
      ['table', 'users', true],
      ['table', 'idempotency', true],
      ['queue', 'deletions', true],
      ['deadLetters', 'deletions-dlq', true],
      ['queue', 'rpc-requests', true],
      ['deadLetters', 'rpc-requests-dlq', true],
    ]);
    // A service declaring no table and no queue has nothing that can fail.
    expect(lineOf(detailed, 'downcase')).toEqual({ name: 'downcase', status: 'up', checks: [] });
  });

  it('the scheduled check records Healthy = 1 for every service, as EMF under its own service, each minute', async () => {
    const FunctionName = resources.functionName(healthService, 'health-check');
    const { LoggingConfig } = await lambda.send(new GetFunctionConfigurationCommand({ FunctionName }));
    const logGroup = LoggingConfig?.LogGroup ?? '';
    expect(logGroup).not.toBe('');
    // Only checks made since this test began: an earlier file (alarms) parks a message in a
    // dead-letter queue for a while, and the checks of that time rightly record 0.
    const since = Date.now();
    const documents = await waitFor(
      'a Healthy line per service from the scheduled check',
      async () => {
        const lines = emfDocumentsIn(await logLines(logGroup, METRIC.healthy.name)).filter(
          (d) => d._aws.Timestamp >= since,
        );
        const services = new Set(lines.map((d) => d.service));
        return deployed.every((name) => services.has(name)) ? lines : undefined;
      },
      { timeoutMs: 150_000, intervalMs: 2000 },
    );
    for (const name of deployed) {
      const document = documents.find((d) => d.service === name);
      expect(document?.[METRIC.healthy.name]).toBe(1);
      expect(document?._aws.CloudWatchMetrics[0]).toMatchObject({
        Namespace: METRICS_NAMESPACE,
        Dimensions: [['service']],
        Metrics: [{ Name: METRIC.healthy.name, Unit: METRIC.healthy.unit }],
      });
    }
  }, 200_000);

  it('refuses a token that is not valid (401) rather than answering as to anyone', async () => {
    const response = await call('GET', 'health', { as: { ...user, accessToken: 'not.a.token' } });
    expect(response.status).toBe(401);
  });

  it('reports a service down (503) when its queue is deleted, the failed check for an admin only, and up again once the stack is redeployed', async () => {
    const queueUrl = resources.queue(usersService, 'deletions');
    await sqs.send(new DeleteQueueCommand({ QueueUrl: queueUrl }));
    try {
      const down = await call<Health>('GET', 'health');
      expect(down.status).toBe(503);
      expect(down.body.status).toBe('down');
      expect(down.body.services).toEqual(
        deployed.map((name) => ({ name, status: name === 'users' ? 'down' : 'up' })),
      );
      const asUser = await call<Health>('GET', 'health', { as: user });
      expect(asUser.status).toBe(503);
      expect(lineOf(asUser, 'users')).toEqual({ name: 'users', status: 'down' });

      const detailed = await call<Health>('GET', 'health', { as: admin });
      expect(detailed.status).toBe(503);
      const failed = lineOf(detailed, 'users')?.checks?.filter((c) => !c.ok);
      expect(failed?.map((c) => [c.kind, c.name])).toEqual([
        ['queue', 'deletions'],
        ['deadLetters', 'deletions-dlq'],
      ]);
      expect(failed?.[0]?.error).toMatch(/QueueDoesNotExist|NonExistentQueue|does not exist/);
    } finally {
      // CloudFormation does not see a queue deleted behind its back: a deploy of the same template
      // and tags changes nothing. A deploy with a new stack tag updates every tagged resource, and
      // the local stack re-creates a missing queue on update (under the same name and URL); a second
      // deploy without the tag leaves the stack as the other test files expect it.
      const context = { faults: 'true' };
      const log = () => {};
      const endpoint = deployment.endpoint ?? '';
      await deployLocal({ endpoint, deploymentFile, context, tags: { 'health-test': 'redeploy' }, log });
      const restored = await deployLocal({ endpoint, deploymentFile, context, log });
      expect(restored.outputs).toEqual(deployment.outputs);
    }
    await sqs.send(new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ['QueueArn'] }));

    const up = await waitFor('every service up again', async () => {
      const response = await call<Health>('GET', 'health', { as: admin });
      return response.status === 200 ? response : undefined;
    });
    expect(up.body.status).toBe('up');
    expect(lineOf(up, 'users')?.checks?.every((c) => c.ok)).toBe(true);
  }, 600_000);
});
