import { Stack } from 'aws-cdk-lib';
import { WebSocketApi, WebSocketStage } from 'aws-cdk-lib/aws-apigatewayv2';
import { WebSocketLambdaAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { WebSocketLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import type { Table } from 'aws-cdk-lib/aws-dynamodb';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { NagSuppressions } from 'cdk-nag';
import { Construct } from 'constructs';
import { liveFeedService } from '../functions/live-feed/service.js';
import { ENV } from '../functions/shared/env-names.js';
import { declaredFunction, declaredTable } from './declared-resources.js';
import { API_STAGE } from './http-api.js';
import type { LogFeed } from './log-feed.js';
import type { ServiceFunction } from './service-function.js';
import type { AuthService } from './services/auth.js';

export interface LiveFeedProps {
  logFeed: LogFeed;
  /** The identity whose access tokens `$connect` accepts, the same the REST API accepts. */
  auth: AuthService;
}

/**
 * The log feed, live in the browser: an API Gateway WebSocket API whose
 * `$connect` verifies the caller's access token (`?token=`), a connections
 * table (TTL on `expiresAt`), and a broadcaster fed by the feed topic in
 * batches (through a queue) that posts each message through `@connections` to the connections allowed
 * to see it, removing those that are gone.
 */
export class LiveFeed extends Construct {
  readonly api: WebSocketApi;
  readonly stage: WebSocketStage;
  readonly connections: Table;
  readonly functions: ServiceFunction[];

  constructor(scope: Construct, id: string, { logFeed, auth }: LiveFeedProps) {
    super(scope, id);
    this.connections = declaredTable(this, 'live-feed-connections', liveFeedService.tables.connections);
    // Construct ids apart from the bundle names: CloudFormation derives the functions' logical ids from
    // them, and a changed id would replace the function on a deployed stack.
    const declared = (id: string, bundle: keyof typeof liveFeedService.functions) =>
      declaredFunction(this, id, liveFeedService, bundle, {
        tables: { connections: this.connections },
        logFeed,
      });

    const authorizerFn = declared('live-feed-authorizer', 'live-feed-authorizer');
    auth.allowTokenChecks(authorizerFn);
    const connectionsFn = declared('live-feed-connections-handler', 'live-feed-connections');

    const integration = new WebSocketLambdaIntegration('connections', connectionsFn.fn);
    this.api = new WebSocketApi(this, 'live-feed-api', {
      description: 'The log feed, live: messages as they are published, for signed-in people',
      connectRouteOptions: {
        integration,
        authorizer: new WebSocketLambdaAuthorizer('access-token', authorizerFn.fn, {
          identitySource: ['route.request.querystring.token'],
        }),
      },
      disconnectRouteOptions: { integration },
      defaultRouteOptions: { integration },
    });
    this.stage = new WebSocketStage(this, 'live-feed-stage', {
      webSocketApi: this.api,
      stageName: API_STAGE,
      autoDeploy: true,
    });

    // A log-feed subscriber: its own ERROR lines are not fed back into the feed it reads.
    const broadcaster = declared('live-feed-broadcaster', 'live-feed-broadcaster');
    // Posting to connections only (the stage's grantManagementApiAccess would allow every method: GET, DELETE).
    broadcaster.fn.addToRolePolicy(
      new PolicyStatement({
        actions: ['execute-api:ManageConnections'],
        resources: [
          Stack.of(this).formatArn({
            service: 'execute-api',
            resource: this.api.apiId,
            resourceName: `${this.stage.stageName}/POST/@connections/*`,
          }),
        ],
      }),
    );
    broadcaster.setEnv(ENV.liveFeedCallbackUrl, this.stage.callbackUrl);
    broadcaster.setEnv(ENV.liveFeedApiId, this.api.apiId);
    broadcaster.setEnv(ENV.liveFeedStage, this.stage.stageName);
    logFeed.feedInBatches(this, 'live-feed-deliveries', broadcaster);

    NagSuppressions.addResourceSuppressions(
      [this.api.node.findChild('$disconnect-Route'), this.api.node.findChild('$default-Route')],
      [
        {
          id: 'AwsSolutions-APIG4',
          reason:
            'A WebSocket API authorizes the $connect route only (API Gateway allows no other); these routes run on a connection $connect authorized.',
        },
      ],
      true,
    );
    NagSuppressions.addResourceSuppressions(
      broadcaster,
      [
        {
          id: 'AwsSolutions-IAM5',
          reason:
            "Posting to a connection names it in the ARN (`@connections/<id>`), and connection ids are only known at run time: the grant is this API's stage's connections.",
          appliesTo: [{ regex: '/^Resource::arn:.*\\/@connections\\/\\*$/g' }],
        },
      ],
      true,
    );

    this.functions = [authorizerFn, connectionsFn, broadcaster];
  }

  /** Tells a function serving browsers (the console) where they connect to the live feed. */
  describeTo(fn: ServiceFunction): void {
    fn.setEnv(ENV.liveFeedApiId, this.api.apiId);
    fn.setEnv(ENV.liveFeedStage, this.stage.stageName);
    fn.setEnv(ENV.liveFeedPublicUrl, this.url);
  }

  /** The `wss://` URL browsers connect to on AWS. */
  get url(): string {
    return this.stage.url;
  }
}
