import type { Template } from 'aws-cdk-lib/assertions';
import { FUNCTION_BUNDLE_METADATA } from '../../lib/bundles/registry.js';

type Resource = { Type: string; Properties: Record<string, unknown>; Metadata?: Record<string, unknown> };

/** A REST API method as the template deploys it. */
export interface TemplateRoute {
  /** `NONE` or `CUSTOM` (the token authorizer). */
  authorizationType: string;
  /** The bundle of the function it invokes (from the function's metadata). */
  bundle: string | undefined;
}

/**
 * Every method of the REST API in a synthesized template, by `METHOD /path`
 * (the full path rebuilt from the resource tree), with its authorization and
 * the function bundle it invokes.
 */
export function templateRoutes(template: Template): Map<string, TemplateRoute> {
  const resources = template.toJSON().Resources as Record<string, Resource>;
  const pathOf = (id: string): string => {
    const resource = resources[id];
    if (!resource) throw new Error(`no resource ${id}`);
    const parent = resource.Properties.ParentId as { Ref?: string };
    const prefix = parent.Ref ? pathOf(parent.Ref) : '';
    return `${prefix}/${resource.Properties.PathPart as string}`;
  };
  const routes = new Map<string, TemplateRoute>();
  for (const method of Object.values(resources).filter((r) => r.Type === 'AWS::ApiGateway::Method')) {
    const resourceId = method.Properties.ResourceId as { Ref?: string };
    const path = resourceId.Ref ? pathOf(resourceId.Ref) : '/';
    const target = /"Fn::GetAtt":\["([^"]+)","Arn"\]/.exec(JSON.stringify(method.Properties.Integration));
    const fn = target ? resources[target[1] as string] : undefined;
    routes.set(`${method.Properties.HttpMethod as string} ${path}`, {
      authorizationType: method.Properties.AuthorizationType as string,
      bundle: fn?.Metadata?.[FUNCTION_BUNDLE_METADATA] as string | undefined,
    });
  }
  return routes;
}

/** `METHOD /path` of every operation in an OpenAPI document. */
export function documentedRoutes(document: { paths: Record<string, object> }): string[] {
  return Object.entries(document.paths).flatMap(([path, operations]) =>
    Object.keys(operations).map((method) => `${method.toUpperCase()} ${path}`),
  );
}
