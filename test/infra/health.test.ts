import type { Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { healthService } from '../../functions/health/service.js';
import { DEPLOYABLE } from '../../functions/services.js';
import { healthChecksOf } from '../../functions/shared/health.js';
import { FUNCTION_BUNDLE_METADATA } from '../../lib/bundles/registry.js';
import { type Resource, stackTemplate } from '../support/stack-template.js';

type Statement = { Action: string | string[]; Resource: unknown };

let template: Template;
let all: Record<string, Resource>;

beforeAll(() => {
  template = stackTemplate();
  all = template.toJSON().Resources as Record<string, Resource>;
});

const ofType = (type: string) => Object.entries(all).filter(([, r]) => r.Type === type);
const functionOf = (bundle: string): [string, Resource] => {
  const found = ofType('AWS::Lambda::Function').find(
    ([, r]) => r.Metadata?.[FUNCTION_BUNDLE_METADATA] === bundle,
  );
  if (!found) throw new Error(`no function runs ${bundle}`);
  return found;
};
const HEALTH_BUNDLES = Object.keys(healthService.functions);

/** Every statement of the policies attached to a function's role. */
function statementsOf(bundle: string): Statement[] {
  const role = functionOf(bundle)[1].Properties.Role['Fn::GetAtt'][0];
  return ofType('AWS::IAM::Policy')
    .filter(([, p]) => (p.Properties.Roles as Array<{ Ref: string }>).some((r) => r.Ref === role))
    .flatMap(([, p]) => p.Properties.PolicyDocument.Statement as Statement[]);
}
const actions = (s: Statement) => ([] as string[]).concat(s.Action);

/**
 * `HEALTH_CHECKS` as deployed, its resources shown by logical id: the
 * Fn::Join of JSON text and `Ref`s that Stack.toJsonString makes.
 */
function deployedConfig(bundle: string): Record<string, { checks: Array<[string, string, string]> }> {
  const value = functionOf(bundle)[1].Properties.Environment.Variables.HEALTH_CHECKS;
  const parts = value['Fn::Join'][1] as Array<string | { Ref: string }>;
  return JSON.parse(parts.map((p) => (typeof p === 'string' ? p : `ref:${p.Ref}`)).join(''));
}

describe('health checks', () => {
  it("every deployed service's checks are derived from its declaration, each naming a deployed table or queue", () => {
    const deployed = DEPLOYABLE.filter((s) => !s.benchOnly);
    for (const bundle of HEALTH_BUNDLES) {
      const config = deployedConfig(bundle);
      expect(Object.keys(config).sort()).toEqual(deployed.map((s) => s.name).sort());
      for (const service of deployed) {
        const checks = config[service.name]?.checks ?? [];
        expect(checks.map(([kind, name]) => `${kind}:${name}`)).toEqual(
          healthChecksOf(service)
            .filter((c) => c.kind !== 'deadLetters')
            .map((c) => `${c.kind}:${c.name}`),
        );
        for (const [kind, , resource] of checks) {
          const id = resource.replace(/^ref:/, '');
          expect(all[id]?.Type).toBe(kind === 'table' ? 'AWS::DynamoDB::Table' : 'AWS::SQS::Queue');
          // Each checked queue has the dead-letter queue its check finds through the redrive policy.
          if (kind === 'queue') expect(all[id]?.Properties.RedrivePolicy?.deadLetterTargetArn).toBeDefined();
        }
      }
    }
    // Every table of the stack is checked, and every queue a service consumes.
    const checked = Object.values(deployedConfig('health')).flatMap((s) => s.checks.map(([, , r]) => r));
    expect(checked.filter((r) => all[r.slice(4)]?.Type === 'AWS::DynamoDB::Table')).toHaveLength(
      ofType('AWS::DynamoDB::Table').length,
    );
  });

  it('the health functions may only describe the checked tables and read the checked queues (and their DLQs) attributes', () => {
    const config = deployedConfig('health');
    const checked = Object.values(config).flatMap((s) => s.checks);
    const tables = checked.filter(([kind]) => kind === 'table').map(([, , r]) => r.slice(4));
    const queues = checked.filter(([kind]) => kind === 'queue').map(([, , r]) => r.slice(4));
    const dlqs = queues.map((id) => all[id]?.Properties.RedrivePolicy.deadLetterTargetArn['Fn::GetAtt'][0]);
    const arnIds = (resource: unknown) =>
      ([] as unknown[])
        .concat(resource)
        .map((r) => (r as { 'Fn::GetAtt'?: [string, string] })['Fn::GetAtt']?.[0] ?? JSON.stringify(r));

    for (const bundle of HEALTH_BUNDLES) {
      const statements = statementsOf(bundle);
      const describe = statements.filter((s) => actions(s).includes('dynamodb:DescribeTable'));
      const read = statements.filter((s) => actions(s).includes('sqs:GetQueueAttributes'));
      expect(describe.map(actions)).toEqual([['dynamodb:DescribeTable']]);
      expect(read.map(actions)).toEqual([['sqs:GetQueueAttributes']]);
      expect(arnIds(describe[0]?.Resource).sort()).toEqual([...tables].sort());
      expect(arnIds(read[0]?.Resource).sort()).toEqual([...queues, ...dlqs].sort());
      // Besides those, only its own log lines, its live settings (scoped by test/infra/live-settings.test.ts),
      // (GET /health) the caller's groups, and X-Ray's writes.
      const others = statements.filter((s) => !describe.includes(s) && !read.includes(s)).flatMap(actions);
      const allowed = [
        'logs:CreateLogStream',
        'logs:PutLogEvents',
        'ssm:GetParameter',
        'ssm:GetParameters',
        'cognito-idp:AdminListGroupsForUser',
        // Every function's active tracing, for the X-Ray console on AWS (lib/service-function.ts).
        'xray:PutTraceSegments',
        'xray:PutTelemetryRecords',
      ];
      expect(others.filter((a) => !allowed.includes(a))).toEqual([]);
    }
    expect(statementsOf('health-check').flatMap(actions)).not.toContain('cognito-idp:AdminListGroupsForUser');
  });

  it('no other function may describe tables or is told the checks', () => {
    for (const [, fn] of ofType('AWS::Lambda::Function')) {
      const bundle = String(fn.Metadata?.[FUNCTION_BUNDLE_METADATA]);
      if (HEALTH_BUNDLES.includes(bundle)) continue;
      expect(fn.Properties.Environment?.Variables?.HEALTH_CHECKS).toBeUndefined();
      expect(statementsOf(bundle).flatMap(actions)).not.toContain('dynamodb:DescribeTable');
    }
  });

  it('the scheduled check runs every minute', () => {
    const [checkId] = functionOf('health-check');
    const rules = ofType('AWS::Events::Rule').filter(([, r]) =>
      (r.Properties.Targets as Array<{ Arn: { 'Fn::GetAtt': [string, string] } }>).some(
        (t) => t.Arn['Fn::GetAtt']?.[0] === checkId,
      ),
    );
    expect(rules.map(([, r]) => r.Properties.ScheduleExpression)).toEqual(['rate(1 minute)']);
  });

  it('GET /health is on the API without the token authorizer: its token is optional and checked by the function', () => {
    const [healthPath] =
      ofType('AWS::ApiGateway::Resource').find(
        ([, r]) => r.Properties.PathPart === 'health' && 'Fn::GetAtt' in r.Properties.ParentId,
      ) ?? [];
    expect(healthPath).toBeDefined();
    const methods = ofType('AWS::ApiGateway::Method').filter(
      ([, r]) => r.Properties.ResourceId?.Ref === healthPath,
    );
    expect(methods.map(([, r]) => [r.Properties.HttpMethod, r.Properties.AuthorizationType])).toEqual([
      ['GET', 'NONE'],
    ]);
  });
});
