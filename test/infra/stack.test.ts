import { readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import * as path from 'node:path';
import { App } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { downcaseRoutes } from '../../functions/downcase/routes.js';
import type { RouteTable } from '../../functions/shared/http/route.js';
import { MicroservicesStack } from '../../lib/microservices-stack.js';
import { STACK_NAME } from '../../lib/stack-outputs.js';

type Resource = { Type: string; Properties: Record<string, unknown> };

let template: Template;
let assemblyDir: string;

beforeAll(() => {
  const app = new App();
  const stack = new MicroservicesStack(app, STACK_NAME, {
    env: { account: '111111111111', region: 'eu-west-1' },
    benchRoutes: true,
  });
  assemblyDir = app.synth().directory;
  template = Template.fromStack(stack);
});

const resources = (type: string): Array<[string, Resource]> =>
  Object.entries(template.findResources(type) as Record<string, Resource>);

/** Every statement of every inline policy, queue policy and topic policy in the stack. */
function allStatements(): Array<Record<string, unknown>> {
  return [
    ...resources('AWS::IAM::Policy'),
    ...resources('AWS::SQS::QueuePolicy'),
    ...resources('AWS::SNS::TopicPolicy'),
  ].flatMap(
    ([, r]) => (r.Properties.PolicyDocument as { Statement: Array<Record<string, unknown>> }).Statement,
  );
}

describe('functions', () => {
  it('all run on nodejs22.x', () => {
    const functions = resources('AWS::Lambda::Function');
    expect(functions.length).toBeGreaterThanOrEqual(4);
    for (const [, fn] of functions) expect(fn.Properties.Runtime).toBe('nodejs22.x');
  });

  it('all bundle their dependencies, the AWS SDK included, leaving only Node built-ins external', () => {
    const builtins = new Set([...builtinModules, ...builtinModules.map((m) => `node:${m}`)]);
    for (const [, fn] of resources('AWS::Lambda::Function')) {
      const key = (fn.Properties.Code as { S3Key: string }).S3Key;
      const bundle = readFileSync(
        path.join(assemblyDir, `asset.${key.replace('.zip', '')}`, 'index.js'),
        'utf8',
      );
      // `[require(...)` only occurs inside the SDK's error text telling users how to add an optional package.
      const required = [...bundle.matchAll(/(?<![[\w])require\("([^"]+)"\)/g)].map((m) => m[1] as string);
      expect(required.filter((name) => !builtins.has(name))).toEqual([]);
    }
  });

  it('that talk to AWS carry the SDK inside their bundle', () => {
    const withSdk = resources('AWS::Lambda::Function').filter(([id]) =>
      /downcase|subscriber|forwarder/i.test(id),
    );
    expect(withSdk).toHaveLength(3);
    for (const [, fn] of withSdk) {
      const key = (fn.Properties.Code as { S3Key: string }).S3Key;
      const bundle = readFileSync(
        path.join(assemblyDir, `asset.${key.replace('.zip', '')}`, 'index.js'),
        'utf8',
      );
      expect(bundle).toContain('aws-sdk-js');
    }
  });

  it('have their ERROR lines forwarded into the log feed, every service function', () => {
    const filters = resources('AWS::Logs::SubscriptionFilter').map(([, r]) => r.Properties);
    const forwarded = new Set(filters.map((f) => JSON.stringify(f.LogGroupName)));
    const serviceFunctions = resources('AWS::Lambda::Function').filter(
      ([, fn]) =>
        (fn.Properties.Environment as { Variables: Record<string, string> }).Variables
          .POWERTOOLS_SERVICE_NAME !== 'log-feed',
    );
    expect(serviceFunctions.length).toBeGreaterThanOrEqual(2);
    for (const [id, fn] of serviceFunctions) {
      const group = (fn.Properties.LoggingConfig as { LogGroup: unknown }).LogGroup;
      expect(forwarded.has(JSON.stringify(group)), `${id} has no subscription filter`).toBe(true);
    }
    for (const filter of filters) expect(filter.FilterPattern).toBe('"ERROR"');
  });
});

describe('queues', () => {
  it('every queue has a dead-letter queue, or is one', () => {
    const queues = resources('AWS::SQS::Queue');
    const dlqTargets = new Set(
      queues.flatMap(([, q]) => {
        const redrive = q.Properties.RedrivePolicy as
          | { deadLetterTargetArn: { 'Fn::GetAtt': [string] } }
          | undefined;
        return redrive ? [redrive.deadLetterTargetArn['Fn::GetAtt'][0]] : [];
      }),
    );
    expect(dlqTargets.size).toBeGreaterThanOrEqual(2);
    for (const [id, q] of queues) {
      expect(q.Properties.RedrivePolicy !== undefined || dlqTargets.has(id), `${id} has no DLQ`).toBe(true);
    }
  });

  it('the archive queue receives the log feed raw', () => {
    template.hasResourceProperties('AWS::SNS::Subscription', {
      Protocol: 'sqs',
      RawMessageDelivery: true,
      Endpoint: { 'Fn::GetAtt': [Match.stringLikeRegexp('^logfeedlogfeedarchive[0-9A-F]+$'), 'Arn'] },
    });
  });
});

describe('permissions', () => {
  it('no statement allows a wildcard action', () => {
    const statements = allStatements();
    expect(statements.length).toBeGreaterThan(0);
    for (const statement of statements.filter((s) => s.Effect === 'Allow')) {
      const actions = ([] as unknown[]).concat(statement.Action);
      for (const action of actions) expect(String(action)).not.toMatch(/(^|:)\*$/);
    }
  });

  it('only the subscriber may write to the subscriber log group', () => {
    const writers = allStatements().filter((s) =>
      ([] as unknown[]).concat(s.Action).includes('logs:PutLogEvents'),
    );
    expect(writers).toHaveLength(1);
  });
});

describe('API', () => {
  const expectRoutes = (routes: RouteTable) => {
    for (const route of Object.values(routes)) {
      const last = route.path.split('/').pop();
      const methods = resources('AWS::ApiGateway::Method').filter(
        ([, m]) => m.Properties.HttpMethod === route.method,
      );
      const resourceIds = methods.map(([, m]) => (m.Properties.ResourceId as { Ref: string }).Ref);
      const paths = resources('AWS::ApiGateway::Resource')
        .filter(([id]) => resourceIds.includes(id))
        .map(([, r]) => r.Properties.PathPart);
      expect(paths, `${route.method} ${route.path}`).toContain(last);
    }
  };

  it('wires every declared downcase route', () => {
    expectRoutes(downcaseRoutes);
  });

  it('deploys to the v1 stage and reports where', () => {
    template.hasResourceProperties('AWS::ApiGateway::Stage', { StageName: 'v1' });
    for (const name of ['ApiId', 'ApiStage', 'ApiUrl', 'LogFeedTopicArn', 'LogFeedArchiveQueueUrl']) {
      template.hasOutput(name, {});
    }
  });
});
