import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import {
  AccountRecovery,
  CfnUserPoolGroup,
  ClientAttributes,
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
 *
 * The pool is usable through the API only: no self-service sign-up (the auth
 * function makes accounts with the admin API), and the app client has a
 * secret that only the auth function reads (DescribeUserPoolClient), so
 * Cognito's public InitiateAuth, SignUp and token calls need it; users may
 * write none of their attributes themselves.
 */
export class Identity extends Construct {
  readonly userPool: UserPool;
  readonly client: UserPoolClient;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    this.userPool = new UserPool(this, 'users', {
      selfSignUpEnabled: false,
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
      generateSecret: true,
      enableTokenRevocation: true,
      // An access token may read its user's attributes but write none (the API owns names and emails).
      writeAttributes: new ClientAttributes(),
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
