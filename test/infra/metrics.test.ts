import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { strFromU8, unzipSync } from 'fflate';
import { beforeAll, describe, expect, it } from 'vitest';
import { DEPLOYABLE } from '../../functions/services.js';
import { METRICS_NAMESPACE } from '../../functions/shared/metrics-catalog.js';
import { FUNCTION_BUNDLE_METADATA } from '../../lib/bundles/registry.js';
import { MicroservicesStack } from '../../lib/microservices-stack.js';
import { STACK_NAME } from '../../lib/stack-outputs.js';

type LambdaResource = {
  Properties: { Code: { S3Key: string }; Environment?: { Variables?: Record<string, unknown> } };
  Metadata?: Record<string, unknown>;
};

let functions: Array<[string, LambdaResource]>;
let assemblyDir: string;

/** The declared service of every bundle: its POWERTOOLS_SERVICE_NAME. */
const serviceOfBundle = new Map(
  DEPLOYABLE.flatMap((service) => Object.keys(service.functions).map((bundle) => [bundle, service.name])),
);

beforeAll(() => {
  const app = new App();
  // With the bench's function too: it is deployed for `npm run bench`.
  const stack = new MicroservicesStack(app, STACK_NAME, {
    env: { account: '111111111111', region: 'eu-west-1' },
    benchRoutes: true,
  });
  assemblyDir = app.synth().directory;
  functions = Object.entries(
    Template.fromStack(stack).findResources('AWS::Lambda::Function') as Record<string, LambdaResource>,
  );
});

const bundleOf = (fn: LambdaResource) => fn.Metadata?.[FUNCTION_BUNDLE_METADATA] as string | undefined;

describe('metrics of every deployed function', () => {
  it('every function is one of the declared ones (none made elsewhere, without the defaults)', () => {
    expect(functions.length).toBeGreaterThan(20);
    expect(functions.filter(([, fn]) => !serviceOfBundle.has(bundleOf(fn) ?? '')).map(([id]) => id)).toEqual(
      [],
    );
  });

  it('sends its metrics to the Microservices namespace, with its declared service as their `service`', () => {
    const wrong = functions.flatMap(([id, fn]) => {
      const variables = fn.Properties.Environment?.Variables ?? {};
      const expected = {
        POWERTOOLS_METRICS_NAMESPACE: METRICS_NAMESPACE,
        POWERTOOLS_SERVICE_NAME: serviceOfBundle.get(bundleOf(fn) ?? ''),
      };
      const actual = {
        POWERTOOLS_METRICS_NAMESPACE: variables.POWERTOOLS_METRICS_NAMESPACE,
        POWERTOOLS_SERVICE_NAME: variables.POWERTOOLS_SERVICE_NAME,
      };
      return JSON.stringify(actual) === JSON.stringify(expected) ? [] : [{ id, expected, actual }];
    });
    expect(wrong).toEqual([]);
    expect(METRICS_NAMESPACE).toBe('Microservices');
  });

  it("carries Powertools Metrics in its code, cold-start metric included (the shared metrics module's)", () => {
    const without = functions
      .filter(([, fn]) => {
        const files = unzipSync(readFileSync(path.join(assemblyDir, `asset.${fn.Properties.Code.S3Key}`)));
        return !strFromU8(files['index.js'] ?? new Uint8Array()).includes('"ColdStart"');
      })
      .map(([, fn]) => bundleOf(fn));
    expect(without).toEqual([]);
  });
});
