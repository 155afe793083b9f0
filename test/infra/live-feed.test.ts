import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import type { Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildConsoleAssets, gzippedSizes } from '../../lib/console-assets.js';
import { type Resource, resourcesOf, stackTemplate } from '../support/stack-template.js';

let template: Template;

beforeAll(() => {
  template = stackTemplate();
});

const resources = (type: string) => resourcesOf(template, type);

const wsApiId = () => {
  const [[id]] = resources('AWS::ApiGatewayV2::Api') as [[string, Resource]];
  return id;
};

describe('live feed WebSocket API', () => {
  it('is one WebSocket API with $connect, $disconnect and $default routes on the v1 stage', () => {
    template.resourceCountIs('AWS::ApiGatewayV2::Api', 1);
    template.hasResourceProperties('AWS::ApiGatewayV2::Api', { ProtocolType: 'WEBSOCKET' });
    const keys = resources('AWS::ApiGatewayV2::Route').map(([, r]) => r.Properties.RouteKey);
    expect(keys.sort()).toEqual(['$connect', '$default', '$disconnect']);
    template.hasResourceProperties('AWS::ApiGatewayV2::Stage', { StageName: 'v1', AutoDeploy: true });
    for (const name of ['LiveFeedApiId', 'LiveFeedUrl']) template.hasOutput(name, {});
  });

  it('authorizes $connect with a REQUEST authorizer reading ?token=, and no other route', () => {
    template.hasResourceProperties('AWS::ApiGatewayV2::Authorizer', {
      AuthorizerType: 'REQUEST',
      IdentitySource: ['route.request.querystring.token'],
    });
    for (const [, route] of resources('AWS::ApiGatewayV2::Route')) {
      const expected = route.Properties.RouteKey === '$connect' ? 'CUSTOM' : 'NONE';
      expect(route.Properties.AuthorizationType ?? 'NONE', route.Properties.RouteKey).toBe(expected);
    }
  });

  it('keeps connections in a table keyed by connection id, with a TTL', () => {
    template.hasResourceProperties('AWS::DynamoDB::Table', {
      KeySchema: [{ AttributeName: 'connectionId', KeyType: 'HASH' }],
      TimeToLiveSpecification: { AttributeName: 'expiresAt', Enabled: true },
    });
  });

  it('lets only the broadcaster post to and close connections, on this stage of this API only, never GET', () => {
    const statements = resources('AWS::IAM::Policy').flatMap(([, p]) =>
      (p.Properties.PolicyDocument.Statement as Array<Record<string, any>>).map((s) => s),
    );
    const manage = statements.filter((s) =>
      ([] as unknown[]).concat(s.Action).includes('execute-api:ManageConnections'),
    );
    expect(manage).toHaveLength(1);
    const granted = ([] as unknown[]).concat(manage[0]?.Resource).map((r) => JSON.stringify(r));
    expect(granted).toHaveLength(2);
    for (const [resource, method] of granted.map((r, i) => [r, ['POST', 'DELETE'][i]] as const)) {
      expect(resource).toContain(wsApiId());
      expect(resource).toContain(`/v1/${method}/@connections/*`);
    }
  });

  it("lets the broadcaster read each connection's groups in the user pool, and nothing else of it", () => {
    const [[, broadcaster]] = Object.entries(template.findResources('AWS::Lambda::Function')).filter(
      ([, fn]) => String(fn.Properties.Description).startsWith('Posts every log-feed message'),
    ) as [[string, Resource]];
    const roleId = broadcaster.Properties.Role['Fn::GetAtt'][0];
    const policies = resources('AWS::IAM::Policy').filter(
      ([, p]) => JSON.stringify(p.Properties.Roles) === JSON.stringify([{ Ref: roleId }]),
    );
    const actions = policies.flatMap(([, p]) =>
      (p.Properties.PolicyDocument.Statement as Array<Record<string, any>>).flatMap((s) =>
        ([] as string[]).concat(s.Action),
      ),
    );
    expect(actions.filter((a) => a.startsWith('cognito-idp:'))).toEqual([
      'cognito-idp:AdminListGroupsForUser',
    ]);
    expect(broadcaster.Properties.Environment.Variables).toHaveProperty('USER_POOL_ID');
  });

  it('feeds the broadcaster from the log feed topic through its own queue, in batches', () => {
    const queues = template.findResources('AWS::SQS::Queue');
    const deliveries = Object.keys(queues).find(
      (id) => id.startsWith('livefeedservicebroadcasterdeliveries') && !id.includes('dlq'),
    );
    expect(deliveries).toBeDefined();
    template.hasResourceProperties('AWS::SNS::Subscription', {
      Protocol: 'sqs',
      RawMessageDelivery: true,
      Endpoint: { 'Fn::GetAtt': [deliveries, 'Arn'] },
    });
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      EventSourceArn: { 'Fn::GetAtt': [deliveries, 'Arn'] },
      BatchSize: 10,
    });
    // No function is invoked by the log feed directly (the alarm topic's function is, by its own topic).
    const feedTopic = Object.keys(template.findResources('AWS::SNS::Topic')).find((id) =>
      id.startsWith('logfeedlogfeedtopic'),
    );
    expect(
      Object.values(template.findResources('AWS::SNS::Subscription'))
        .filter((s) => s.Properties.TopicArn?.Ref === feedTopic)
        .map((s) => s.Properties.Protocol),
    ).not.toContain('lambda');
  });
});

describe('web console', () => {
  it('ships under 100 KB of gzipped JavaScript', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'console-assets-'));
    buildConsoleAssets(dir);
    const sizes = gzippedSizes(dir);
    console.log(`[console] gzipped: ${JSON.stringify(sizes)}`);
    expect(sizes['app.js']).toBeGreaterThan(10_000);
    expect(sizes['app.js']).toBeLessThan(100 * 1024);
  });
});
