import { Duration, Stack } from 'aws-cdk-lib';
import {
  AuthorizationType,
  EndpointType,
  type IAuthorizer,
  LambdaIntegration,
  type MethodOptions,
  ResponseType,
  RestApi,
  TokenAuthorizer,
} from 'aws-cdk-lib/aws-apigateway';
import { Construct } from 'constructs';
import type { ErrorCode } from '../functions/shared/errors.js';
import {
  type RouteDeclaration as Route,
  type RouteTable,
  SIGNED_IN,
} from '../functions/shared/http/route.js';
import { RIGHTS_CACHE_SECONDS } from '../functions/shared/identity/roles.js';
import { output } from './outputs.js';
import type { ServiceFunction } from './service-function.js';
import { OUTPUT } from './stack-outputs.js';

/** Stage of the one API; part of every URL. */
export const API_STAGE = 'v1';

/**
 * Abuse limits of every route, in one place: requests per second per route
 * (steady rate) and the burst allowed above it. Beyond them API Gateway
 * answers 429 in the API's JSON error shape.
 */
export const API_THROTTLING = { rateLimit: 500, burstLimit: 1000 } as const;

/**
 * How long API Gateway keeps an authorizer decision per token: a revoked
 * admin, or a deleted account, stops working at most this long after the change.
 * The live feed's per-delivery checks reuse what they read for no longer.
 */
export const AUTHORIZER_CACHE_TTL = Duration.seconds(RIGHTS_CACHE_SECONDS);

/**
 * The single REST API of every service. Routes are never added by hand:
 * {@link addRoutes} wires a service's route table, the same declarations its
 * handler validates requests with. Signed-in routes wait for the token
 * authorizer (a function declared with `trigger: { authorizer: 'api' }`);
 * synth fails if none is declared.
 */
export class HttpApi extends Construct {
  readonly api: RestApi;
  private authorizer?: IAuthorizer;
  private readonly waiting: Array<{ route: Route; integration: LambdaIntegration }> = [];

  constructor(scope: Construct, id: string) {
    super(scope, id);
    this.api = new RestApi(this, 'api', {
      restApiName: `${Stack.of(this).stackName}-api`,
      description: 'Downcase, search, booking and tasks services',
      deployOptions: {
        stageName: API_STAGE,
        throttlingRateLimit: API_THROTTLING.rateLimit,
        throttlingBurstLimit: API_THROTTLING.burstLimit,
        // For the X-Ray console on AWS; the stack's own traces are span lines in the logs.
        tracingEnabled: true,
      },
      endpointTypes: [EndpointType.REGIONAL],
      cloudWatchRole: false,
    });
    this.jsonGatewayResponses();
    // ApiUrl below replaces the output RestApi adds under a generated name.
    this.api.node.tryRemoveChild('Endpoint');
    output(this, OUTPUT.apiId, this.api.restApiId);
    output(this, OUTPUT.apiStage, API_STAGE);
    output(this, OUTPUT.apiUrl, this.api.url);
    this.node.addValidation({
      validate: () =>
        this.waiting.map(
          ({ route }) =>
            `route ${route.method} ${route.path} needs a token, but no function is the API's authorizer`,
        ),
    });
  }

  /**
   * Answers that API Gateway gives itself (no or bad token, unknown route) in
   * the same JSON shape as the functions' errors.
   */
  private jsonGatewayResponses(): void {
    // The gateway's own codes beside the functions' (see `ERRORS`), so a renamed code fails typecheck here too.
    const body = (error: ErrorCode | 'InternalError', message: string) => ({
      'application/json': JSON.stringify({ error, message, requestId: '$context.requestId' }),
    });
    this.api.addGatewayResponse('unauthorized', {
      type: ResponseType.UNAUTHORIZED,
      statusCode: '401',
      templates: body(
        'Unauthorized',
        'a valid bearer token is required: Authorization: Bearer <access token>',
      ),
    });
    this.api.addGatewayResponse('access-denied', {
      type: ResponseType.ACCESS_DENIED,
      statusCode: '403',
      templates: body('Forbidden', 'this token may not call this route'),
    });
    // A function that crashed or timed out: the gateway's own 502/504, in the same shape, with nothing leaked.
    this.api.addGatewayResponse('function-failed', {
      type: ResponseType.DEFAULT_5XX,
      templates: body('InternalError', 'the service failed or did not answer in time'),
    });
    this.api.addGatewayResponse('throttled', {
      type: ResponseType.THROTTLED,
      statusCode: '429',
      templates: body('TooManyRequests', 'too many requests; slow down and retry'),
    });
    this.api.addGatewayResponse('no-such-route', {
      type: ResponseType.MISSING_AUTHENTICATION_TOKEN,
      statusCode: '404',
      templates: body('NotFound', 'no route matches this method and path'),
    });
  }

  /**
   * Makes `verifier` the token authorizer of every `user` and `admin` route
   * (the bearer token of the Authorization header, decisions cached
   * {@link AUTHORIZER_CACHE_TTL} per token); one per API.
   */
  authorizeWith(verifier: ServiceFunction): void {
    if (this.authorizer) throw new Error('the API already has its token authorizer');
    this.authorizer = new TokenAuthorizer(this, 'bearer-token', {
      handler: verifier.fn,
      identitySource: 'method.request.header.Authorization',
      resultsCacheTtl: AUTHORIZER_CACHE_TTL,
    });
    for (const { route, integration } of this.waiting.splice(0)) this.addMethod(route, integration);
  }

  /** Wires every route of a table to the service's function, behind the authorizer where the route needs a token. */
  addRoutes(routes: RouteTable, target: ServiceFunction): void {
    // One invoke permission per function, scoped to this API (any of its methods and stages), rather
    // than one per method: the function serves every route of its table anyway, and a permission per
    // method took the stack to CloudFormation's 500-resource limit. (No test-invoke permission either.)
    const integration = new LambdaIntegration(target.fn, { scopePermissionToMethod: false });
    for (const route of Object.values(routes)) {
      if (SIGNED_IN.has(route.auth) && !this.authorizer) this.waiting.push({ route, integration });
      else this.addMethod(route, integration);
    }
  }

  private addMethod(route: Route, integration: LambdaIntegration): void {
    const options: MethodOptions =
      SIGNED_IN.has(route.auth) && this.authorizer
        ? { authorizer: this.authorizer, authorizationType: AuthorizationType.CUSTOM }
        : {};
    this.api.root.resourceForPath(route.path).addMethod(route.method, integration, options);
  }
}
