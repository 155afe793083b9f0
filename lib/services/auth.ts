import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import { TokenAuthorizer } from 'aws-cdk-lib/aws-apigateway';
import { AccountRecovery, CfnUserPoolGroup, UserPool, type UserPoolClient } from 'aws-cdk-lib/aws-cognito';
import { Construct } from 'constructs';
import { ADMIN_GROUP } from '../../functions/auth/domain/roles.js';
import { authRoutes } from '../../functions/auth/routes.js';
import { ENV } from '../../functions/shared/env-names.js';
import type { HttpApi } from '../http-api.js';
import type { LogFeed } from '../log-feed.js';
import { ServiceFunction } from '../service-function.js';

export interface AuthServiceProps {
  api: HttpApi;
  logFeed: LogFeed;
}

/**
 * How long API Gateway keeps an authorizer decision per token: a revoked
 * admin, or a deleted account, stops working at most this long after the change.
 */
export const AUTHORIZER_CACHE_TTL = Duration.seconds(15);

/**
 * One identity for the whole API: a Cognito user pool with an `admin` group,
 * `POST /auth/signup` and `POST /auth/login`, and the Lambda token authorizer
 * every `user` and `admin` route is wired with (enforced alike by API Gateway
 * and the local stacks).
 */
export class AuthService extends Construct {
  readonly userPool: UserPool;
  readonly client: UserPoolClient;
  /** Signup and login; it creates profiles in the users service over RPC. */
  readonly function: ServiceFunction;
  readonly functions: ServiceFunction[];

  constructor(scope: Construct, id: string, { api, logFeed }: AuthServiceProps) {
    super(scope, id);
    const preSignUp = new ServiceFunction(this, 'pre-sign-up', {
      service: 'auth',
      bundle: 'auth-pre-sign-up',
      description: 'Confirms new users as they sign up',
    });
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
    const auth = new ServiceFunction(this, 'auth', {
      service: 'auth',
      bundle: 'auth',
      description: 'Signup and login against the user pool; creates the profile of each new person',
    });
    auth.setEnv(ENV.userPoolClientId, this.client.userPoolClientId);
    this.allowAccountRemoval(auth);
    this.function = auth;

    const verifier = new ServiceFunction(this, 'token-authorizer', {
      service: 'auth',
      bundle: 'auth-token-authorizer',
      description: 'Verifies bearer tokens against the user pool keys',
    });
    this.allowTokenChecks(verifier);
    api.useAuthorizer(
      new TokenAuthorizer(this, 'bearer-token', {
        handler: verifier.fn,
        identitySource: 'method.request.header.Authorization',
        resultsCacheTtl: AUTHORIZER_CACHE_TTL,
      }),
    );
    api.addRoutes(authRoutes, auth);

    this.functions = [preSignUp, auth, verifier];
    for (const fn of this.functions) logFeed.forwardErrorsFrom(fn);
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
