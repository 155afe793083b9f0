import { RemovalPolicy } from 'aws-cdk-lib';
import { WebSocketApi, WebSocketStage } from 'aws-cdk-lib/aws-apigatewayv2';
import { WebSocketLambdaAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { WebSocketLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import { AttributeType, BillingMode, Table } from 'aws-cdk-lib/aws-dynamodb';
import { NagSuppressions } from 'cdk-nag';
import { Construct } from 'constructs';
import { ENV } from '../functions/shared/env-names.js';
import { API_STAGE } from './http-api.js';
import type { LogFeed } from './log-feed.js';
import { ServiceFunction } from './service-function.js';
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
    this.connections = new Table(this, 'live-feed-connections', {
      partitionKey: { name: 'connectionId', type: AttributeType.STRING },
      billingMode: BillingMode.PAY_PER_REQUEST,
      timeToLiveAttribute: 'expiresAt',
      removalPolicy: RemovalPolicy.DESTROY,
    });

    const authorizerFn = new ServiceFunction(this, 'live-feed-authorizer', {
      service: 'live-feed',
      bundle: 'live-feed-authorizer',
      description: 'Verifies the access token of a live-feed WebSocket connection',
    });
    auth.allowTokenChecks(authorizerFn);

    const connectionsFn = new ServiceFunction(this, 'live-feed-connections-handler', {
      service: 'live-feed',
      bundle: 'live-feed-connections',
      description: 'Records live-feed WebSocket connections ($connect) and removes them ($disconnect)',
    });
    this.connections.grant(connectionsFn.fn, 'dynamodb:PutItem', 'dynamodb:DeleteItem');
    connectionsFn.setEnv(ENV.liveFeedConnectionsTable, this.connections.tableName);

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
    const broadcaster = new ServiceFunction(this, 'live-feed-broadcaster', {
      service: 'log-feed',
      bundle: 'live-feed-broadcaster',
      description: 'Posts every log-feed message to the live-feed connections allowed to see it',
    });
    this.connections.grant(broadcaster.fn, 'dynamodb:Scan', 'dynamodb:DeleteItem');
    broadcaster.setEnv(ENV.liveFeedConnectionsTable, this.connections.tableName);
    this.stage.grantManagementApiAccess(broadcaster.fn);
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
      broadcaster.fn,
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
    logFeed.forwardErrorsFrom(authorizerFn);
    logFeed.forwardErrorsFrom(connectionsFn);
  }

  /** The `wss://` URL browsers connect to on AWS. */
  get url(): string {
    return this.stage.url;
  }
}
