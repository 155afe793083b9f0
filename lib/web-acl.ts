import { Stack } from 'aws-cdk-lib';
import type { Stage } from 'aws-cdk-lib/aws-apigateway';
import { CfnWebACL, CfnWebACLAssociation } from 'aws-cdk-lib/aws-wafv2';
import { Construct } from 'constructs';

/**
 * Requests one client IP may send in 5 minutes (WAF's rate-based rules count
 * over a window): to the whole API, and to its auth routes, where password
 * guessing and signup floods come from. Above either, WAF answers 403 until
 * the rate falls. The per-email login throttle (functions/auth) stands behind
 * the second for guesses spread over many addresses.
 */
export const WAF_RATE_LIMITS = { perIp: 3000, authPerIp: 100 } as const;

/**
 * A WAF web ACL on the REST API's stage, with rate-based rules per IP. AWS
 * only: the local emulator accepts a web ACL but not its association with a
 * stage, and enforces neither, so the stack makes this only when deploying to
 * AWS (see bin/app.ts).
 */
export class ApiWebAcl extends Construct {
  readonly acl: CfnWebACL;

  constructor(scope: Construct, id: string, stage: Stage) {
    super(scope, id);
    const visibility = (metricName: string) => ({
      metricName,
      cloudWatchMetricsEnabled: true,
      sampledRequestsEnabled: true,
    });
    this.acl = new CfnWebACL(this, 'acl', {
      name: `${Stack.of(this).stackName}-api`,
      scope: 'REGIONAL',
      defaultAction: { allow: {} },
      visibilityConfig: visibility('api'),
      rules: [
        {
          name: 'auth-per-ip',
          priority: 0,
          action: { block: {} },
          visibilityConfig: visibility('auth-per-ip'),
          statement: {
            rateBasedStatement: {
              limit: WAF_RATE_LIMITS.authPerIp,
              aggregateKeyType: 'IP',
              scopeDownStatement: {
                byteMatchStatement: {
                  fieldToMatch: { uriPath: {} },
                  positionalConstraint: 'CONTAINS',
                  searchString: '/auth/',
                  textTransformations: [{ priority: 0, type: 'LOWERCASE' }],
                },
              },
            },
          },
        },
        {
          name: 'per-ip',
          priority: 1,
          action: { block: {} },
          visibilityConfig: visibility('per-ip'),
          statement: { rateBasedStatement: { limit: WAF_RATE_LIMITS.perIp, aggregateKeyType: 'IP' } },
        },
      ],
    });
    new CfnWebACLAssociation(this, 'stage', { resourceArn: stage.stageArn, webAclArn: this.acl.attrArn });
  }
}
