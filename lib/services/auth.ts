import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import { TokenAuthorizer } from 'aws-cdk-lib/aws-apigateway';
import { AccountRecovery, CfnUserPoolGroup, UserPool, type UserPoolClient } from 'aws-cdk-lib/aws-cognito';
import { Construct } from 'constructs';
import { ADMIN_GROUP } from '../../functions/auth/domain/roles.js';
import { authService } from '../../functions/auth/service.js';
import { ENV } from '../../functions/shared/env-names.js';
import { type DeclaredServiceProps, type DeployedService, deployService } from '../declared-service.js';
import type { ServiceFunction } from '../service-function.js';

/**
 * How long API Gateway keeps an authorizer decision per token: a revoked
 * admin, or a deleted account, stops working at most this long after the change.
 */
export const AUTHORIZER_CACHE_TTL = Duration.seconds(15);

/**
 * One identity for the whole API: a Cognito user pool with an `admin` group,
 * `POST /auth/signup` and `POST /auth/login`, and the Lambda token authorizer
 * every `user` and `admin` route is wired with (enforced alike by API Gateway
 * and the local stacks). Its functions and routes are declared in
 * functions/auth/service.ts; this construct adds the pool and the authorizer.
 */
export class AuthService extends Construct {
  readonly deployed: DeployedService<typeof authService>;
  readonly userPool: UserPool;
  readonly client: UserPoolClient;
  /** Signup and login; it creates profiles in the users service over RPC. */
  readonly function: ServiceFunction;

  constructor(scope: Construct, id: string, props: DeclaredServiceProps) {
    super(scope, id);
    this.deployed = deployService(this, authService, props);
    const {
      auth,
      'auth-pre-sign-up': preSignUp,
      'auth-token-authorizer': verifier,
    } = this.deployed.functions;
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
      lambdaTriggers: { preSignUp: preSignUp.fn },
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

    // SignUp and InitiateAuth are public Cognito APIs; AdminDeleteUser undoes a signup whose profile failed.
    auth.setEnv(ENV.userPoolClientId, this.client.userPoolClientId);
    this.allowAccountRemoval(auth);
    this.function = auth;

    this.allowTokenChecks(verifier);
    props.api.useAuthorizer(
      new TokenAuthorizer(this, 'bearer-token', {
        handler: verifier.fn,
        identitySource: 'method.request.header.Authorization',
        resultsCacheTtl: AUTHORIZER_CACHE_TTL,
      }),
    );
  }

  /**
   * Lets an authorizer verify the pool's access tokens (pool and client ids)
   * and read the caller's role from the pool on each uncached decision, never
   * trusting the groups a token claims.
   */
  allowTokenChecks(fn: ServiceFunction): void {
    this.userPool.grant(fn.fn, 'cognito-idp:AdminListGroupsForUser');
    fn.setEnv(ENV.userPoolId, this.userPool.userPoolId);
    fn.setEnv(ENV.userPoolClientId, this.client.userPoolClientId);
  }

  /** Lets `fn` delete accounts of the pool (signup compensation, deleting a person). */
  allowAccountRemoval(fn: ServiceFunction): void {
    this.userPool.grant(fn.fn, 'cognito-idp:AdminDeleteUser');
    fn.setEnv(ENV.userPoolId, this.userPool.userPoolId);
  }
}
