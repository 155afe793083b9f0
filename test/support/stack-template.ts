/**
 * The CloudFormation template of the whole stack as the infra tests read it:
 * the app synthesized for a made-up account and region, and its resources by type.
 */
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { inject } from 'vitest';
import { MicroservicesStack } from '../../lib/microservices-stack.js';
import { STACK_NAME } from '../../lib/stack-outputs.js';

/** A template's properties are whatever each resource type has. */
export type Resource = { Type: string; Properties: Record<string, any>; Metadata?: Record<string, unknown> };

/** The stack's template; `benchRoutes` deploys the bench's service too, as `npm run bench` does. */
export function stackTemplate({ benchRoutes = false } = {}): Template {
  // Synthesized once per run and variant, the first file to ask writes it for the others (the
  // same code gives the same template); a synth is seconds of CPU per file otherwise.
  const file = path.join(inject('stackTemplates'), `${STACK_NAME}${benchRoutes ? '-bench' : ''}.json`);
  if (existsSync(file)) return Template.fromJSON(JSON.parse(readFileSync(file, 'utf8')));
  const stack = new MicroservicesStack(new App(), STACK_NAME, {
    env: { account: '111111111111', region: 'eu-west-1' },
    benchRoutes,
  });
  const template = Template.fromStack(stack);
  // Written whole, then renamed: a file reading it at the same time never sees half of it.
  const written = `${file}.${process.pid}`;
  writeFileSync(written, JSON.stringify(template.toJSON()));
  renameSync(written, file);
  return template;
}

/** Every resource of one type in `template`, as `[logical id, resource]`. */
export const resourcesOf = (template: Template, type: string): Array<[string, Resource]> =>
  Object.entries(template.findResources(type) as Record<string, Resource>);
