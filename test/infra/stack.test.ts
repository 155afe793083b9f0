import { readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import * as path from 'node:path';
import { App, Aspects } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';
import { strFromU8, unzipSync } from 'fflate';
import { beforeAll, describe, expect, it } from 'vitest';
import { apiDocument } from '../../functions/docs/document.js';
import { DEPLOYABLE, SERVICES } from '../../functions/services.js';
import { SIGNED_IN } from '../../functions/shared/http/route.js';
import { RPC_CALLER_TIMEOUT_SECONDS, RPC_TIMEOUT_MS } from '../../functions/shared/rpc/client.js';
import { FUNCTION_BUNDLE_METADATA, FUNCTION_ENTRIES } from '../../lib/bundles/registry.js';
import { API_THROTTLING, AUTHORIZER_CACHE_TTL } from '../../lib/http-api.js';
import { MicroservicesStack } from '../../lib/microservices-stack.js';
import { PROJECT_ROOT } from '../../lib/project-root.js';
import { outputName, STACK_NAME } from '../../lib/stack-outputs.js';
import { WAF_RATE_LIMITS } from '../../lib/web-acl.js';
import { documentedRoutes, templateRoutes } from '../support/template-routes.js';

type Resource = { Type: string; Properties: Record<string, unknown>; Metadata?: Record<string, unknown> };

let template: Template;
let annotations: Annotations;
let assemblyDir: string;

/** A function's `index.js` as deployed: read from its code package (a zip archive) in the cloud assembly. */
function deployedBundle(fn: Resource): string {
  const key = (fn.Properties.Code as { S3Key: string }).S3Key;
  const files = unzipSync(readFileSync(path.join(assemblyDir, `asset.${key}`)));
  return strFromU8(files['index.js'] ?? new Uint8Array());
}

beforeAll(() => {
  const app = new App();
  const stack = new MicroservicesStack(app, STACK_NAME, {
    env: { account: '111111111111', region: 'eu-west-1' },
    benchRoutes: true,
  });
  Aspects.of(app).add(new AwsSolutionsChecks());
  assemblyDir = app.synth().directory;
  template = Template.fromStack(stack);
  annotations = Annotations.fromStack(stack);
});

describe('cdk-nag AwsSolutions', () => {
  it('finds no error that lib/nag-suppressions.ts does not accept with a reason', () => {
    const errors = annotations.findError('*', Match.stringLikeRegexp('AwsSolutions-.*'));
    expect(errors.map((e) => `${e.id}: ${String(e.entry.data).split(':')[0]}`)).toEqual([]);
  });
});

/** The logical id of the table an output names (`outputName.table`). */
const tableOfOutput = (name: string): string | undefined =>
  (template.toJSON().Outputs?.[name]?.Value as { Ref?: string } | undefined)?.Ref;

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

/** The logical id of the role of the function that runs `bundle`. */
function roleOfBundle(bundle: string): string {
  const [, fn] =
    resources('AWS::Lambda::Function').find(([, r]) => r.Metadata?.[FUNCTION_BUNDLE_METADATA] === bundle) ??
    [];
  const role = (fn?.Properties.Role as { 'Fn::GetAtt': [string, string] } | undefined)?.['Fn::GetAtt'][0];
  if (!role) throw new Error(`no function runs the ${bundle} bundle`);
  return role;
}

/** Every statement of the stack's IAM policies, with the logical ids of the roles its policy is attached to. */
function roleStatements(): Array<{ roles: string[]; statement: Record<string, unknown> }> {
  return resources('AWS::IAM::Policy').flatMap(([, r]) => {
    const roles = ((r.Properties.Roles ?? []) as Array<{ Ref: string }>).map((role) => role.Ref);
    return (r.Properties.PolicyDocument as { Statement: Array<Record<string, unknown>> }).Statement.map(
      (statement) => ({ roles, statement }),
    );
  });
}

/**
 * The role statements that reach a table's items: all but the health checks'
 * `dynamodb:DescribeTable`, which reads a table's state (test/infra/health.test.ts).
 */
const itemAccess = () =>
  roleStatements().filter(({ statement }) => statement.Action !== 'dynamodb:DescribeTable');

describe('CloudFormation validation', () => {
  it("passes the CDK's built-in template validation with no finding (local deploys skip it, so it runs here)", () => {
    expect(process.env.CDK_VALIDATION).not.toBe('false');
    const report = JSON.parse(readFileSync(path.join(assemblyDir, 'validation-report.json'), 'utf8')) as {
      pluginReports: Array<{
        pluginName: string;
        violations?: Array<{ ruleName: string; description: string }>;
      }>;
    };
    const findings = report.pluginReports.flatMap((plugin) =>
      (plugin.violations ?? []).map((v) => `${plugin.pluginName} ${v.ruleName}: ${v.description}`),
    );
    expect(findings).toEqual([]);
  });
});

describe('functions', () => {
  it('all run on nodejs22.x', () => {
    const functions = resources('AWS::Lambda::Function');
    expect(functions.length).toBeGreaterThanOrEqual(4);
    for (const [, fn] of functions) expect(fn.Properties.Runtime).toBe('nodejs22.x');
  });

  it('all bundle their dependencies, the AWS SDK included, leaving only Node built-ins external', () => {
    const builtins = new Set([...builtinModules, ...builtinModules.map((m) => `node:${m}`)]);
    for (const [, fn] of resources('AWS::Lambda::Function')) {
      const bundle = deployedBundle(fn);
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
      expect(deployedBundle(fn)).toContain('aws-sdk-js');
    }
  });

  it('have their ERROR lines forwarded into the log feed, every function but those that read the feed', () => {
    const filters = resources('AWS::Logs::SubscriptionFilter').map(([, r]) => r.Properties);
    const forwarded = new Set(filters.map((f) => JSON.stringify(f.LogGroupName)));
    const readsFeed = new Set(
      SERVICES.flatMap((s) => Object.entries(s.functions))
        .filter(([, fn]) => fn.logFeed === 'none' || fn.logFeed === 'publish-only')
        .map(([bundle]) => bundle),
    );
    expect([...readsFeed].sort()).toEqual([
      'live-feed-broadcaster',
      'log-feed-error-forwarder',
      'log-feed-subscriber',
    ]);
    const serviceFunctions = resources('AWS::Lambda::Function').filter(
      ([, fn]) => !readsFeed.has(fn.Metadata?.[FUNCTION_BUNDLE_METADATA] as string),
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

describe('RPC and the booking saga', () => {
  const functionTimeouts = () =>
    new Map(resources('AWS::Lambda::Function').map(([id, fn]) => [id, Number(fn.Properties.Timeout)]));

  it('request and saga queues: visibility 6x their consumer timeout, and 5 receives before the DLQ', () => {
    const queues = new Map(resources('AWS::SQS::Queue'));
    const timeouts = functionTimeouts();
    const mappings = resources('AWS::Lambda::EventSourceMapping').filter(([id]) => /rpc|saga/i.test(id));
    expect(mappings.length).toBeGreaterThanOrEqual(4);
    for (const [, mapping] of mappings) {
      const queueId = (mapping.Properties.EventSourceArn as { 'Fn::GetAtt': [string, string] })[
        'Fn::GetAtt'
      ][0];
      const functionId = (mapping.Properties.FunctionName as { Ref: string }).Ref;
      const queue = queues.get(queueId);
      expect(queue?.Properties.VisibilityTimeout).toBe(6 * (timeouts.get(functionId) ?? 0));
      expect(queue?.Properties.RedrivePolicy).toMatchObject({ maxReceiveCount: 5 });
      expect(mapping.Properties.FunctionResponseTypes).toEqual(['ReportBatchItemFailures']);
    }
  });

  it('every function that calls another service outlives its call: a silent service is a 504, never a Lambda timeout', () => {
    const callers = new Set(
      DEPLOYABLE.flatMap((s) =>
        Object.entries(s.functions)
          .filter(([, fn]) => (fn.calls?.length ?? 0) > 0)
          .map(([bundle]) => bundle),
      ),
    );
    const timeouts = resources('AWS::Lambda::Function')
      .filter(([, fn]) => callers.has(fn.Metadata?.[FUNCTION_BUNDLE_METADATA] as string))
      .map(([, fn]) => Number(fn.Properties.Timeout));
    expect(timeouts).toHaveLength(callers.size);
    for (const timeout of timeouts) expect(timeout).toBeGreaterThanOrEqual(RPC_CALLER_TIMEOUT_SECONDS);
    expect(RPC_CALLER_TIMEOUT_SECONDS).toBeGreaterThan(RPC_TIMEOUT_MS / 1000);
  });

  it("reply queues are reachable only under this stack's prefix", () => {
    const replyStatements = allStatements().filter((s) =>
      JSON.stringify(s.Resource ?? '').includes('rpc-reply-'),
    );
    expect(replyStatements.length).toBeGreaterThan(0);
    for (const statement of replyStatements) {
      expect(JSON.stringify(statement.Resource)).toContain(`${STACK_NAME}-rpc-reply-*`);
    }
  });

  it('runs the booking reconciler every minute', () => {
    template.hasResourceProperties('AWS::Events::Rule', { ScheduleExpression: 'rate(1 minute)' });
  });
});

describe('tasks storage', () => {
  it('keys tasks by user, with a newest-first index so listing is one Query', () => {
    template.hasResourceProperties('AWS::DynamoDB::Table', {
      KeySchema: [
        { AttributeName: 'userId', KeyType: 'HASH' },
        { AttributeName: 'id', KeyType: 'RANGE' },
      ],
      LocalSecondaryIndexes: [
        {
          IndexName: 'newest-first',
          KeySchema: [
            { AttributeName: 'userId', KeyType: 'HASH' },
            { AttributeName: 'createdKey', KeyType: 'RANGE' },
          ],
          Projection: { ProjectionType: 'ALL' },
        },
      ],
    });
  });

  it('lets only the tasks functions touch the tasks table, and never Scan it', () => {
    const tasksTable = tableOfOutput(outputName.table('tasks', 'tasks'));
    const dynamo = itemAccess().filter(({ statement }) =>
      JSON.stringify(statement.Resource).includes(`"${tasksTable}"`),
    );
    const actionsOf = (bundle: string) => {
      const found = dynamo.find(({ roles }) => roles.includes(roleOfBundle(bundle)));
      return ([] as unknown[]).concat(found?.statement.Action).sort();
    };
    expect(dynamo.map(({ roles }) => roles).sort()).toEqual(
      [[roleOfBundle('tasks')], [roleOfBundle('tasks-rpc')]].sort(),
    );
    expect(actionsOf('tasks')).toEqual(
      [
        'dynamodb:DeleteItem',
        'dynamodb:GetItem',
        'dynamodb:PutItem',
        'dynamodb:Query',
        'dynamodb:UpdateItem',
      ].sort(),
    );
    // The erasure of a person's tasks, over RPC for the users service.
    expect(actionsOf('tasks-rpc')).toEqual(['dynamodb:BatchWriteItem', 'dynamodb:Query']);
  });
});

describe('list cursors', () => {
  it('are sealed with a secret generated at deploy, given only to the functions that serve pages of lists', () => {
    const secrets = resources('AWS::SecretsManager::Secret');
    expect(secrets).toHaveLength(1);
    const [[secretId, secret]] = secrets as [[string, Resource]];
    // Generated by Secrets Manager: no value in the template (nor in the repository).
    expect(secret.Properties.SecretString).toBeUndefined();
    expect(secret.Properties.GenerateSecretString).toMatchObject({ PasswordLength: 64 });

    const given = resources('AWS::Lambda::Function').filter(([, fn]) =>
      JSON.stringify(fn.Properties.Environment ?? {}).includes('LIST_CURSOR_SECRET'),
    );
    expect(given.map(([, fn]) => fn.Metadata?.[FUNCTION_BUNDLE_METADATA]).sort()).toEqual(
      ['bookings', 'movies', 'search', 'tasks', 'users'].sort(),
    );
    for (const [, fn] of given) {
      const value = JSON.stringify(
        (fn.Properties.Environment as { Variables: Record<string, unknown> }).Variables.LIST_CURSOR_SECRET,
      );
      // A dynamic reference CloudFormation resolves at deploy, to the secret of this stack.
      expect(value).toContain('{{resolve:secretsmanager:');
      expect(value).toContain(`"Ref":"${secretId}"`);
    }
  });
});

describe('users', () => {
  it('are made through the API only: no self-service sign-up, and a trigger refusing any', () => {
    template.hasResourceProperties('AWS::Cognito::UserPool', {
      AdminCreateUserConfig: Match.objectLike({ AllowAdminCreateUserOnly: true }),
      LambdaConfig: { PreSignUp: Match.anyValue() },
    });
  });

  it('have an app client with a secret, revocable tokens and no attribute a user may write', () => {
    template.hasResourceProperties('AWS::Cognito::UserPoolClient', {
      GenerateSecret: true,
      EnableTokenRevocation: true,
      WriteAttributes: [],
    });
    // The secret is read by the auth function at run time, never passed in the template.
    expect(JSON.stringify(template.toJSON())).not.toContain('ClientSecret');
    const describe = roleStatements().filter(({ statement }) =>
      ([] as unknown[]).concat(statement.Action).includes('cognito-idp:DescribeUserPoolClient'),
    );
    expect(describe.map(({ roles }) => roles)).toEqual([[roleOfBundle('auth')]]);
  });

  it('keeps failed logins in a table with a TTL, that only the auth function touches', () => {
    const id = tableOfOutput(outputName.table('auth', 'login-attempts'));
    template.hasResourceProperties('AWS::DynamoDB::Table', {
      KeySchema: [{ AttributeName: 'key', KeyType: 'HASH' }],
      TimeToLiveSpecification: { AttributeName: 'expiresAt', Enabled: true },
    });
    const dynamo = itemAccess().filter(({ statement }) =>
      JSON.stringify(statement.Resource).includes(`"${id}"`),
    );
    expect(dynamo.map(({ roles }) => roles)).toEqual([[roleOfBundle('auth')]]);
    expect(([] as unknown[]).concat(dynamo[0]?.statement.Action).sort()).toEqual([
      'dynamodb:DeleteItem',
      'dynamodb:GetItem',
      'dynamodb:PutItem',
    ]);
  });

  it('have a pool that requires strong passwords and runs a pre-sign-up trigger', () => {
    template.hasResourceProperties('AWS::Cognito::UserPool', {
      Policies: {
        PasswordPolicy: Match.objectLike({
          MinimumLength: 8,
          RequireLowercase: true,
          RequireUppercase: true,
          RequireNumbers: true,
          RequireSymbols: true,
        }),
      },
      LambdaConfig: { PreSignUp: Match.anyValue() },
      UsernameAttributes: ['email'],
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
    const [subscriberLines] =
      resources('AWS::Logs::LogGroup').find(([id]) => id.startsWith('logfeedservicesubscriberloggroup')) ??
      [];
    expect(subscriberLines).toBeDefined();
    const writers = roleStatements().filter(
      ({ statement }) =>
        ([] as unknown[]).concat(statement.Action).includes('logs:PutLogEvents') &&
        JSON.stringify(statement.Resource).includes(`"${subscriberLines}"`),
    );
    expect(writers.map(({ roles, statement }) => ({ roles, resource: statement.Resource }))).toEqual([
      { roles: [roleOfBundle('log-feed-subscriber')], resource: { 'Fn::GetAtt': [subscriberLines, 'Arn'] } },
    ]);
  });

  it('attaches no managed policy: a function may write to its own log group and no other', () => {
    const roles = resources('AWS::IAM::Role');
    expect(roles.length).toBeGreaterThan(10);
    for (const [id, role] of roles) expect(role.Properties.ManagedPolicyArns, id).toBeUndefined();
    const [subscriberLines] =
      resources('AWS::Logs::LogGroup').find(([id]) => id.startsWith('logfeedservicesubscriberloggroup')) ??
      [];
    const functions = resources('AWS::Lambda::Function');
    expect(functions.length).toBeGreaterThan(10);
    for (const [id, fn] of functions) {
      const role = (fn.Properties.Role as { 'Fn::GetAtt': [string, string] })['Fn::GetAtt'][0];
      const ownGroup = (fn.Properties.LoggingConfig as { LogGroup: { Ref: string } }).LogGroup.Ref;
      const logGroups = roleStatements()
        .filter(
          ({ roles, statement }) =>
            roles.includes(role) &&
            // Writes: reading the stack's logs for traces is test/infra/log-groups.test.ts's.
            ([] as unknown[])
              .concat(statement.Action)
              .some((action) => /^logs:(CreateLogStream|PutLogEvents)$/.test(String(action))),
        )
        .map(({ statement }) => (statement.Resource as { 'Fn::GetAtt': [string, string] })['Fn::GetAtt'][0]);
      const others = logGroups.filter((group) => group !== ownGroup);
      expect(logGroups, id).toContain(ownGroup);
      expect(others, id).toEqual(role === roleOfBundle('log-feed-subscriber') ? [subscriberLines] : []);
    }
  });
});

describe('service declarations (functions/services.ts)', () => {
  /** Every declared route (the stack under test has the bench routes too), with the bundle declared to serve it. */
  const declared = SERVICES.flatMap((service) =>
    Object.entries(service.routes ?? {}).map(([name, route]) => {
      const [bundle] = Object.entries(service.functions).find(
        ([, fn]) => fn.routes === 'all' || fn.routes?.includes(name),
      ) ?? [undefined];
      return { key: `${route.method} ${route.path}`, route, bundle, benchOnly: service.benchOnly === true };
    }),
  );

  it('wire every declared route to the API with its method, path, authorizer and function, and no other', () => {
    const deployed = templateRoutes(template);
    expect(declared.length).toBeGreaterThan(30);
    for (const { key, route, bundle } of declared) {
      expect(deployed.get(key), key).toEqual({
        authorizationType: SIGNED_IN.has(route.auth) ? 'CUSTOM' : 'NONE',
        bundle,
      });
    }
    expect([...deployed.keys()].sort()).toEqual(declared.map((d) => d.key).sort());
  });

  it('document every deployed route in the OpenAPI document, and only those (bench routes aside)', () => {
    // What the docs function serves (test/unit/docs checks it serves this document).
    const document = apiDocument();
    const benchOnly = new Set(declared.filter((d) => d.benchOnly).map((d) => d.key));
    expect(benchOnly.size).toBeGreaterThan(0);
    const deployed = [...templateRoutes(template).keys()].filter((key) => !benchOnly.has(key));
    expect(documentedRoutes(document).sort()).toEqual(deployed.sort());
  });

  it('bundle every declared function, and deploy each bundle', () => {
    const bundles = resources('AWS::Lambda::Function').map(
      ([, fn]) => fn.Metadata?.[FUNCTION_BUNDLE_METADATA] as string,
    );
    const declaredBundles = DEPLOYABLE.flatMap((s) => Object.keys(s.functions));
    expect(Object.keys(FUNCTION_ENTRIES).sort()).toEqual([...declaredBundles].sort());
    expect([...new Set(bundles)].sort()).toEqual([...declaredBundles].sort());
    for (const [id, fn] of resources('AWS::Lambda::Function')) {
      expect(deployedBundle(fn).length, id).toBeGreaterThan(100);
    }
    for (const entry of Object.values(FUNCTION_ENTRIES)) {
      expect(readFileSync(path.join(PROJECT_ROOT, 'functions', entry), 'utf8')).toContain('handler');
    }
  });
});

describe('API', () => {
  it('puts the token authorizer on every user and admin route and on no public one', () => {
    const methods = resources('AWS::ApiGateway::Method').map(([, m]) => m.Properties);
    const custom = methods.filter((m) => m.AuthorizationType === 'CUSTOM');
    // The stack under test is built with the bench routes too.
    const signedIn = SERVICES.flatMap((service) =>
      Object.values(service.routes ?? {}).filter((r) => SIGNED_IN.has(r.auth)),
    );
    expect(signedIn.length).toBeGreaterThan(10);
    expect(custom).toHaveLength(signedIn.length);
    expect(new Set(custom.map((m) => JSON.stringify(m.AuthorizerId))).size).toBe(1);
    template.hasResourceProperties('AWS::ApiGateway::Authorizer', {
      Type: 'TOKEN',
      IdentitySource: 'method.request.header.Authorization',
      AuthorizerResultTtlInSeconds: AUTHORIZER_CACHE_TTL.toSeconds(),
    });
  });

  it('reads roles from the pool: an admin group, and an authorizer allowed to list a user’s groups', () => {
    template.hasResourceProperties('AWS::Cognito::UserPoolGroup', { GroupName: 'admin' });
    const listGroups = allStatements().filter((s) =>
      ([] as unknown[]).concat(s.Action).includes('cognito-idp:AdminListGroupsForUser'),
    );
    // The REST API's token authorizer, the live feed's $connect authorizer, its broadcaster (rights at each
    // delivery), the users sweep (it asks again about an account missing from the pool's list), and
    // GET /health (it verifies an optional token itself).
    expect(listGroups).toHaveLength(5);
    const addToGroup = allStatements().filter((s) =>
      ([] as unknown[])
        .concat(s.Action)
        .some((a) => /AdminAddUserToGroup|AdminUpdateUserAttributes/.test(String(a))),
    );
    expect(addToGroup).toEqual([]);
  });

  it('throttles every route at the stage, answering 429 in the JSON error shape', () => {
    template.hasResourceProperties('AWS::ApiGateway::Stage', {
      MethodSettings: Match.arrayWith([
        Match.objectLike({
          HttpMethod: '*',
          ResourcePath: '/*',
          ThrottlingRateLimit: API_THROTTLING.rateLimit,
          ThrottlingBurstLimit: API_THROTTLING.burstLimit,
        }),
      ]),
    });
    template.hasResourceProperties('AWS::ApiGateway::GatewayResponse', {
      ResponseType: 'THROTTLED',
      StatusCode: '429',
      ResponseTemplates: { 'application/json': Match.stringLikeRegexp('"error":"TooManyRequests"') },
    });
  });

  it('has no web ACL unless asked (the emulator cannot deploy one), and one rate-limiting per IP when asked', () => {
    expect(template.findResources('AWS::WAFv2::WebACL')).toEqual({});
    const withAcl = Template.fromStack(
      new MicroservicesStack(new App(), STACK_NAME, {
        env: { account: '111111111111', region: 'eu-west-1' },
        webAcl: true,
      }),
    );
    withAcl.hasResourceProperties('AWS::WAFv2::WebACL', {
      Scope: 'REGIONAL',
      DefaultAction: { Allow: {} },
      Rules: [
        Match.objectLike({
          Name: 'auth-per-ip',
          Action: { Block: {} },
          Statement: {
            RateBasedStatement: Match.objectLike({
              Limit: WAF_RATE_LIMITS.authPerIp,
              AggregateKeyType: 'IP',
              ScopeDownStatement: Match.anyValue(),
            }),
          },
        }),
        Match.objectLike({
          Name: 'per-ip',
          Statement: { RateBasedStatement: { Limit: WAF_RATE_LIMITS.perIp, AggregateKeyType: 'IP' } },
        }),
      ],
    });
    const [stageId] = Object.keys(withAcl.findResources('AWS::ApiGateway::Stage'));
    const association = Object.values(withAcl.findResources('AWS::WAFv2::WebACLAssociation'));
    expect(association).toHaveLength(1);
    expect(JSON.stringify(association[0]?.Properties.ResourceArn)).toContain(`"${stageId}"`);
  });

  it('answers missing tokens, unknown routes and failed functions with JSON', () => {
    template.hasResourceProperties('AWS::ApiGateway::GatewayResponse', {
      ResponseType: 'DEFAULT_5XX',
      ResponseTemplates: { 'application/json': Match.stringLikeRegexp('"error":"InternalError"') },
    });
    template.hasResourceProperties('AWS::ApiGateway::GatewayResponse', {
      ResponseType: 'UNAUTHORIZED',
      StatusCode: '401',
    });
    template.hasResourceProperties('AWS::ApiGateway::GatewayResponse', {
      ResponseType: 'MISSING_AUTHENTICATION_TOKEN',
      StatusCode: '404',
    });
  });

  it('deploys to the v1 stage and reports where', () => {
    template.hasResourceProperties('AWS::ApiGateway::Stage', { StageName: 'v1' });
    for (const name of ['ApiId', 'ApiStage', 'ApiUrl', 'LogFeedTopicArn', 'LogFeedArchiveQueueUrl']) {
      template.hasOutput(name, {});
    }
  });
});
