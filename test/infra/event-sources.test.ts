import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { SERVICES } from '../../functions/services.js';
import { ENV } from '../../functions/shared/env-names.js';
import { FUNCTION_BUNDLE_METADATA } from '../../lib/bundles/registry.js';
import { MicroservicesStack } from '../../lib/microservices-stack.js';
import { outputName } from '../../lib/stack-outputs.js';
import { jobsService } from './fixtures/jobs/service.js';

type Resource = { Type: string; Properties: Record<string, unknown>; Metadata?: Record<string, unknown> };

const synth = (props: ConstructorParameters<typeof MicroservicesStack>[2]) =>
  Template.fromStack(
    new MicroservicesStack(new App(), 'Example', {
      env: { account: '111111111111', region: 'eu-west-1' },
      ...props,
    }),
  );

/** Logical ids of the functions, by the bundle each runs. */
const functionsOf = (template: Template) =>
  new Map(
    Object.entries(template.findResources('AWS::Lambda::Function') as Record<string, Resource>).map(
      ([id, fn]) => [fn.Metadata?.[FUNCTION_BUNDLE_METADATA] as string, id],
    ),
  );

/**
 * What may start each function, by logical id: an SQS event source mapping
 * names its queue; a Lambda permission names the service that invokes
 * (API Gateway with the API it belongs to, EventBridge, CloudWatch Logs,
 * Cognito). A user pool trigger is a permission too.
 */
function eventSources(template: Template): Map<string, Set<string>> {
  const sources = new Map<string, Set<string>>();
  const add = (fn: unknown, source: string) => {
    const id = JSON.stringify(fn).match(/"(?:Ref|Fn::GetAtt)":\[?"([^"]+)"/)?.[1];
    if (!id) throw new Error(`no function in ${JSON.stringify(fn)}`);
    sources.set(id, (sources.get(id) ?? new Set()).add(source));
  };
  const resources = template.toJSON().Resources as Record<string, Resource>;
  for (const resource of Object.values(resources)) {
    if (resource.Type === 'AWS::Lambda::EventSourceMapping')
      add(resource.Properties.FunctionName, `sqs ${JSON.stringify(resource.Properties.EventSourceArn)}`);
    if (resource.Type === 'AWS::Lambda::Permission') {
      const principal = String(resource.Properties.Principal);
      const api = JSON.stringify(resource.Properties.SourceArn ?? '').match(/"Ref":"([^"]+)"/)?.[1];
      add(
        resource.Properties.FunctionName,
        principal.startsWith('apigateway') ? `${principal} ${api}` : principal,
      );
    }
  }
  return sources;
}

describe('every declared function', () => {
  let template: Template;
  beforeAll(() => {
    template = synth({});
  });

  it('has exactly one event source', () => {
    const sources = eventSources(template);
    const functions = functionsOf(template);
    expect(functions.size).toBeGreaterThan(20);
    for (const [bundle, id] of functions) expect([...(sources.get(id) ?? [])], bundle).toHaveLength(1);
  });

  it('bookings: one function per event source (HTTP, RPC requests, the saga queue, the reconciler schedule)', () => {
    const functions = functionsOf(template);
    const sources = eventSources(template);
    const of = (bundle: string) => [...(sources.get(functions.get(bundle) as string) ?? [])][0] ?? '';
    expect(of('bookings')).toMatch(/^apigateway/);
    expect(of('bookings-rpc')).toMatch(/^sqs .*bookingsrpc/);
    expect(of('bookings-saga')).toMatch(/^sqs .*sagaqueue/);
    expect(of('bookings-reconciler')).toBe('events.amazonaws.com');
  });

  it('cannot be told to crash in the default deployment; with -c faults=true only those declaring faultPoints can', () => {
    const crashable = (t: Template) =>
      Object.values(t.findResources('AWS::Lambda::Function') as Record<string, Resource>)
        .filter(
          (fn) =>
            ENV.faultInjection in ((fn.Properties.Environment as { Variables?: object })?.Variables ?? {}),
        )
        .map((fn) => fn.Metadata?.[FUNCTION_BUNDLE_METADATA])
        .sort();
    expect(crashable(template)).toEqual([]);
    const declared = SERVICES.flatMap((s) => Object.entries(s.functions))
      .filter(([, fn]) => fn.faultPoints)
      .map(([bundle]) => bundle)
      .sort();
    expect(declared.length).toBeGreaterThan(0);
    expect(crashable(synth({ faults: true }))).toEqual(declared);
  });
});

describe('a service declaring a queue, a schedule and an RPC method', () => {
  let template: Template;
  beforeAll(() => {
    template = synth({ services: [...SERVICES, jobsService] });
  });

  it('is deployed from its declaration alone: each function with its one event source', () => {
    const functions = functionsOf(template);
    const sources = eventSources(template);
    const of = (bundle: string) => [...(sources.get(functions.get(bundle) as string) ?? [])];
    expect(of('jobs-worker')).toEqual([expect.stringMatching(/^sqs .*jobsservicework/)]);
    expect(of('jobs-sweeper')).toEqual(['events.amazonaws.com']);
    expect(of('jobs-rpc')).toEqual([expect.stringMatching(/^sqs .*jobsrpc/)]);
    template.hasResourceProperties('AWS::Events::Rule', { ScheduleExpression: 'rate(10 minutes)' });
  });

  it('gets an output for each of its resources, under names derived from the declaration', () => {
    const outputs = Object.keys(template.toJSON().Outputs as object);
    for (const name of [
      outputName.table('jobs', 'jobs'),
      outputName.queue('jobs', 'work'),
      outputName.deadLetterQueue('jobs', 'work'),
      outputName.rpcQueue('jobs'),
      outputName.rpcDeadLetterQueue('jobs'),
      outputName.functionName('jobs-worker'),
    ])
      expect(outputs).toContain(name);
  });

  it('lets the sweeper send to its queue, told its URL', () => {
    const sweeper = functionsOf(template).get('jobs-sweeper') as string;
    const env = (
      template.toJSON().Resources[sweeper].Properties.Environment as { Variables: Record<string, unknown> }
    ).Variables;
    expect(env.JOBS_WORK_QUEUE_URL).toBeDefined();
  });
});
