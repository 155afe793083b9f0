import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import {
  AccountRecovery,
  CfnUserPoolGroup,
  UserPool,
  type UserPoolClient,
  UserPoolOperation,
} from 'aws-cdk-lib/aws-cognito';
import { Construct } from 'constructs';
import { ENV } from '../functions/shared/env-names.js';
import { ADMIN_GROUP } from '../functions/shared/identity/roles.js';
import type { UserPoolAction } from '../functions/shared/service.js';
import { output } from './outputs.js';
import type { ServiceFunction } from './service-function.js';
import { OUTPUT } from './stack-outputs.js';

/**
 * One identity for the whole API: a Cognito user pool (sign-in by email, a
 * strong password policy) with an `admin` group and one app client. The
 * functions that use it say so in their declarations (`userPool`, and the
 * `userPool` trigger).
 */
export class Identity extends Construct {
  readonly userPool: UserPool;
  readonly client: UserPoolClient;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    this.userPool = new UserPool(this, 'users', {
      selfSignUpEnabled: true,
      signInAliases: { email: true },
      signInCaseSensitive: false,
      passwordPolicy: {
        minLength: 8,
        requireLowercase: true,
        requireUppercase: true,
        requireDigits: true,
        requireSymbols: true,
      },
      accountRecovery: AccountRecovery.EMAIL_ONLY,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    this.client = this.userPool.addClient('api-client', {
      authFlows: { userPassword: true },
      generateSecret: false,
      accessTokenValidity: Duration.hours(1),
      idTokenValidity: Duration.hours(1),
      preventUserExistenceErrors: true,
    });
    new CfnUserPoolGroup(this, 'admin-group', {
      userPoolId: this.userPool.userPoolId,
      groupName: ADMIN_GROUP,
      description: 'Admins: manage movies, things and users. Granted with `npm run admin -- add <email>`.',
    });
    output(this, OUTPUT.userPoolId, this.userPool.userPoolId);
    output(this, OUTPUT.userPoolClientId, this.client.userPoolClientId);
  }

  /** Lets `fn` do exactly `actions` on the pool, and tells it the pool's and the app client's ids. */
  grant(fn: ServiceFunction, actions: readonly UserPoolAction[]): void {
    if (actions.length > 0) this.userPool.grant(fn.fn, ...actions.map((action) => `cognito-idp:${action}`));
    fn.setEnv(ENV.userPoolId, this.userPool.userPoolId);
    fn.setEnv(ENV.userPoolClientId, this.client.userPoolClientId);
  }

  /** Runs `fn` on a trigger of the pool. */
  trigger(operation: 'preSignUp', fn: ServiceFunction): void {
    const operations = { preSignUp: UserPoolOperation.PRE_SIGN_UP };
    this.userPool.addTrigger(operations[operation], fn.fn);
  }
}
