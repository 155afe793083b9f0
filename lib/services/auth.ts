import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import { type IAuthorizer, TokenAuthorizer } from 'aws-cdk-lib/aws-apigateway';
import { AccountRecovery, UserPool, type UserPoolClient } from 'aws-cdk-lib/aws-cognito';
import { Construct } from 'constructs';
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
 * Users and tokens: a Cognito user pool, `POST /auth/signup` and
 * `POST /auth/login`, and the Lambda token authorizer every `auth: 'user'`
 * route is wired with (enforced alike by API Gateway and the local stacks).
 */
export class AuthService extends Construct {
  readonly userPool: UserPool;
  readonly client: UserPoolClient;
  readonly authorizer: IAuthorizer;
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

    // SignUp and InitiateAuth are public Cognito APIs: the function needs the client id, no IAM grant.
    const auth = new ServiceFunction(this, 'auth', {
      service: 'auth',
      bundle: 'auth',
      description: 'Signup and login against the user pool',
    });
    auth.setEnv(ENV.userPoolClientId, this.client.userPoolClientId);
    api.addRoutes(authRoutes, auth);

    const verifier = new ServiceFunction(this, 'token-authorizer', {
      service: 'auth',
      bundle: 'auth-token-authorizer',
      description: 'Verifies bearer tokens against the user pool keys',
    });
    verifier.setEnv(ENV.userPoolId, this.userPool.userPoolId);
    verifier.setEnv(ENV.userPoolClientId, this.client.userPoolClientId);
    this.authorizer = new TokenAuthorizer(this, 'bearer-token', {
      handler: verifier.fn,
      identitySource: 'method.request.header.Authorization',
      // Short, so an expired or revoked token stops working within a minute.
      resultsCacheTtl: Duration.seconds(60),
    });

    this.functions = [preSignUp, auth, verifier];
    for (const fn of this.functions) logFeed.forwardErrorsFrom(fn);
  }
}
