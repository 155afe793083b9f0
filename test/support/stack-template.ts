/**
 * The CloudFormation template of the whole stack as the infra tests read it:
 * the app synthesized for a made-up account and region, and its resources by type.
 */
import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { MicroservicesStack } from '../../lib/microservices-stack.js';
import { STACK_NAME } from '../../lib/stack-outputs.js';

/** A template's properties are whatever each resource type has. */
export type Resource = { Type: string; Properties: Record<string, any>; Metadata?: Record<string, unknown> };

/** The stack's template; `benchRoutes` deploys the bench's service too, as `npm run bench` does. */
export function stackTemplate({ benchRoutes = false } = {}): Template {
  const stack = new MicroservicesStack(new App(), STACK_NAME, {
    env: { account: '111111111111', region: 'eu-west-1' },
    benchRoutes,
  });
  return Template.fromStack(stack);
}

/** Every resource of one type in `template`, as `[logical id, resource]`. */
export const resourcesOf = (template: Template, type: string): Array<[string, Resource]> =>
  Object.entries(template.findResources(type) as Record<string, Resource>);
