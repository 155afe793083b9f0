import { CfnOutput, Stack } from 'aws-cdk-lib';
import {
  AuthorizationType,
  EndpointType,
  type IAuthorizer,
  LambdaIntegration,
  type MethodOptions,
  RestApi,
} from 'aws-cdk-lib/aws-apigateway';
import { Construct } from 'constructs';
import type { RouteTable } from '../functions/shared/http/route.js';
import type { ServiceFunction } from './service-function.js';
import { OUTPUT } from './stack-outputs.js';

/** Stage of the one API; part of every URL. */
export const API_STAGE = 'v1';

export interface RouteWiring {
  /** Authorizer for routes declared `auth: 'user'`; required if the table has any. */
  authorizer?: IAuthorizer;
}

/**
 * The single REST API of every service. Routes are never added by hand:
 * {@link addRoutes} wires a service's route table, the same declarations its
 * handler validates requests with.
 */
export class HttpApi extends Construct {
  readonly api: RestApi;
  private readonly wired: Array<{ method: string; path: string }> = [];

  constructor(scope: Construct, id: string) {
    super(scope, id);
    this.api = new RestApi(this, 'api', {
      restApiName: `${Stack.of(this).stackName}-api`,
      description: 'Downcase, search, booking and tasks services',
      deployOptions: { stageName: API_STAGE },
      endpointTypes: [EndpointType.REGIONAL],
      cloudWatchRole: false,
    });
    // ApiUrl below replaces the output RestApi adds under a generated name.
    this.api.node.tryRemoveChild('Endpoint');
    new CfnOutput(Stack.of(this), OUTPUT.apiId, { value: this.api.restApiId });
    new CfnOutput(Stack.of(this), OUTPUT.apiStage, { value: API_STAGE });
    new CfnOutput(Stack.of(this), OUTPUT.apiUrl, { value: this.api.url });
  }

  /** Wires every route of a table to the service's function. */
  addRoutes(routes: RouteTable, target: ServiceFunction, wiring: RouteWiring = {}): void {
    const integration = new LambdaIntegration(target.fn, { allowTestInvoke: false });
    for (const route of Object.values(routes)) {
      const options: MethodOptions =
        route.auth === 'user'
          ? { authorizer: requireAuthorizer(wiring, route.path), authorizationType: AuthorizationType.CUSTOM }
          : {};
      this.api.root.resourceForPath(route.path).addMethod(route.method, integration, options);
      this.wired.push({ method: route.method, path: route.path });
    }
  }

  /** Every route wired so far, for outputs and tests. */
  get routes(): ReadonlyArray<{ method: string; path: string }> {
    return this.wired;
  }
}

function requireAuthorizer(wiring: RouteWiring, path: string): IAuthorizer {
  if (!wiring.authorizer) throw new Error(`route ${path} requires a user but no authorizer was given`);
  return wiring.authorizer;
}
