import { Stack } from 'aws-cdk-lib';
import { WebSocketApi, WebSocketStage } from 'aws-cdk-lib/aws-apigatewayv2';
import { WebSocketLambdaAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { WebSocketLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { NagSuppressions } from 'cdk-nag';
import { Construct } from 'constructs';
import { ENV } from '../functions/shared/env-names.js';
import type { WebSocketRoute } from '../functions/shared/service.js';
import { API_STAGE } from './http-api.js';
import { output } from './outputs.js';
import type { ServiceFunction } from './service-function.js';
import { OUTPUT } from './stack-outputs.js';

/**
 * The WebSocket API browsers follow the live feed on, made when a function
 * declares `webSocket` routes: `$connect` is verified by the function declared
 * with `trigger: { authorizer: 'webSocket' }` (the access token in `?token=`),
 * functions declared with `webSocketApi: 'post'` post to connections through
 * `@connections`, and those with `webSocketApi: 'locate'` are told where
 * browsers connect.
 */
export class FeedWebSocketApi extends Construct {
  readonly api: WebSocketApi;
  readonly stage: WebSocketStage;
  private authorizer?: WebSocketLambdaAuthorizer;
  private readonly waiting: Array<() => void> = [];

  constructor(scope: Construct, id: string) {
    super(scope, id);
    this.api = new WebSocketApi(this, 'live-feed-api', {
      description: 'The log feed, live: messages as they are published, for signed-in people',
    });
    this.stage = new WebSocketStage(this, 'live-feed-stage', {
      webSocketApi: this.api,
      stageName: API_STAGE,
      autoDeploy: true,
    });
    output(this, OUTPUT.liveFeedApiId, this.api.apiId);
    output(this, OUTPUT.liveFeedStage, this.stage.stageName);
    output(this, OUTPUT.liveFeedUrl, this.url);
    this.node.addValidation({
      validate: () =>
        this.waiting.length > 0
          ? ['$connect needs a function declared with trigger { authorizer: webSocket }']
          : [],
    });
  }

  /** Routes these keys to `fn`; `$connect` behind the authorizer, the only route API Gateway lets one guard. */
  route(keys: readonly WebSocketRoute[], fn: ServiceFunction): void {
    const integration = new WebSocketLambdaIntegration(`${fn.node.id}-integration`, fn.fn);
    for (const key of keys) {
      if (key !== '$connect') {
        const route = this.api.addRoute(key, { integration });
        NagSuppressions.addResourceSuppressions(route, [
          {
            id: 'AwsSolutions-APIG4',
            reason:
              'A WebSocket API authorizes the $connect route only (API Gateway allows no other); this route runs on a connection $connect authorized.',
          },
        ]);
      } else if (this.authorizer) this.api.addRoute(key, { integration, authorizer: this.authorizer });
      else this.waiting.push(() => this.route([key], fn));
    }
  }

  /** Makes `verifier` the authorizer of `$connect`, reading the access token from `?token=`. */
  authorizeWith(verifier: ServiceFunction): void {
    if (this.authorizer) throw new Error('the WebSocket API already has its authorizer');
    this.authorizer = new WebSocketLambdaAuthorizer('access-token', verifier.fn, {
      identitySource: ['route.request.querystring.token'],
    });
    for (const add of this.waiting.splice(0)) add();
  }

  /**
   * Lets `fn` post to and close this stage's connections, and nothing else of
   * `@connections` (not GET, and no other API or stage).
   */
  allowDelivering(fn: ServiceFunction): void {
    fn.fn.addToRolePolicy(
      new PolicyStatement({
        actions: ['execute-api:ManageConnections'],
        resources: ['POST', 'DELETE'].map((method) =>
          Stack.of(this).formatArn({
            service: 'execute-api',
            resource: this.api.apiId,
            resourceName: `${this.stage.stageName}/${method}/@connections/*`,
          }),
        ),
      }),
    );
    fn.setEnv(ENV.liveFeedCallbackUrl, this.stage.callbackUrl);
    fn.setEnv(ENV.liveFeedApiId, this.api.apiId);
    fn.setEnv(ENV.liveFeedStage, this.stage.stageName);
    NagSuppressions.addResourceSuppressions(
      fn,
      [
        {
          id: 'AwsSolutions-IAM5',
          reason:
            "Posting to or closing a connection names it in the ARN (`@connections/<id>`), and connection ids are only known at run time: the grant is this API's stage's connections.",
          appliesTo: [{ regex: '/^Resource::arn:.*\\/@connections\\/\\*$/g' }],
        },
      ],
      true,
    );
  }

  /** Tells a function serving browsers (the console) where they connect. */
  locate(fn: ServiceFunction): void {
    fn.setEnv(ENV.liveFeedApiId, this.api.apiId);
    fn.setEnv(ENV.liveFeedStage, this.stage.stageName);
    fn.setEnv(ENV.liveFeedPublicUrl, this.url);
  }

  /** The `wss://` URL browsers connect to on AWS. */
  get url(): string {
    return this.stage.url;
  }
}
