import type { Stack } from 'aws-cdk-lib';
import { CfnMethod } from 'aws-cdk-lib/aws-apigateway';
import { NagSuppressions } from 'cdk-nag';

/**
 * Every cdk-nag (AwsSolutions) finding this stack accepts, each with its rule
 * and the reason, in one place. `test/infra` runs the pack on the synthesized
 * stack and expects no other error.
 */
export function acceptNagFindings(stack: Stack): void {
  NagSuppressions.addStackSuppressions(stack, [
    {
      id: 'AwsSolutions-APIG1',
      reason:
        'Stage access logs need the account-wide API Gateway CloudWatch role, which one stack must not set for a whole account; every function writes one access-log line per request with the API request id instead.',
    },
    {
      id: 'AwsSolutions-APIG6',
      reason: 'Same as APIG1: execution logs need the account-wide role; the functions log every request.',
    },
    {
      id: 'AwsSolutions-APIG2',
      reason:
        "Requests are validated in each function by the route's zod declaration, the one place that also produces the OpenAPI document; API Gateway models would restate it.",
    },
    {
      id: 'AwsSolutions-COG4',
      reason:
        'Signed-in routes use a Lambda token authorizer verifying the same user-pool tokens (aws-jwt-verify) and reading the role from the pool; local stacks do not enforce COGNITO_USER_POOLS authorizers on REST APIs. Public routes are public by declaration (APIG4).',
    },
    {
      id: 'AwsSolutions-COG8',
      reason:
        'Cognito threat protection (Plus plan) is a paid feature and not emulated locally; the pool keeps a strong password policy.',
    },
    {
      id: 'AwsSolutions-SMG4',
      reason:
        'The list cursor secret only seals pagination cursors: rotating it would only end the cursors in flight, and a fresh secret comes with every new deployment.',
    },
    {
      id: 'AwsSolutions-L1',
      reason:
        'Functions are pinned to nodejs22.x, the runtime the code is built for and tested against (lib/service-function.ts).',
    },
    {
      id: 'AwsSolutions-IAM5',
      reason:
        "Table grants include the table's own secondary indexes (`<table>/index/*`), which the stores query.",
      appliesTo: [{ regex: '/^Resource::<.+\\.Arn>\\/index\\/\\*$/g' }],
    },
    {
      id: 'AwsSolutions-IAM5',
      reason:
        "RPC reply queues are created per execution environment under this stack's prefix (`<stack>-rpc-reply-*`), so callers and servers are granted the prefix; the janitor lists queues, which only supports `*`.",
      appliesTo: [
        { regex: '/^Resource::arn:<AWS::Partition>:sqs:.*:[A-Za-z0-9-]+-rpc-reply-\\*$/g' },
        'Resource::*',
      ],
    },
    {
      id: 'AwsSolutions-IAM5',
      reason:
        "The Status function lists the stack's alarms, all named `<stack>-...` (DescribeAlarms on that prefix); GetMetricData has no resource type, so IAM allows it only on `*` (lib/dashboard.ts).",
      appliesTo: [
        { regex: '/^Resource::arn:<AWS::Partition>:cloudwatch:.*:alarm:[A-Za-z0-9-]+-\\*$/g' },
        'Resource::*',
      ],
    },
    {
      id: 'AwsSolutions-IAM5',
      reason:
        "The trace reader searches the stack's function log groups, all named `/microservices/<stack>/...` (FilterLogEvents on that prefix, lib/stack-logs-reading.ts).",
      appliesTo: [
        {
          regex:
            '/^Resource::arn:<AWS::Partition>:logs:.*:log-group:\\/microservices\\/[A-Za-z0-9-]+\\/\\*$/g',
        },
      ],
    },
  ]);
  // Routes declared `auth: 'none'` are public on purpose (see the route tables); all others use the authorizer.
  for (const method of stack.node.findAll().filter((c) => c instanceof CfnMethod)) {
    if ((method as CfnMethod).authorizationType !== 'NONE') continue;
    NagSuppressions.addResourceSuppressions(method, [
      {
        id: 'AwsSolutions-APIG4',
        reason: "The route is declared public (`auth: 'none'`) in its route table.",
      },
    ]);
  }
}
