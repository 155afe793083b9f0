import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { COUNT_AWS_REQUESTS } from '../../functions/shared/request-counting.js';
import { MicroservicesStack } from '../../lib/microservices-stack.js';
import { STACK_NAME } from '../../lib/stack-outputs.js';
import type { Resource } from '../support/stack-template.js';

const functionsOf = (props: ConstructorParameters<typeof MicroservicesStack>[2]) =>
  Object.values(
    Template.fromStack(
      new MicroservicesStack(new App(), STACK_NAME, {
        env: { account: '111111111111', region: 'eu-west-1' },
        ...props,
      }),
    ).findResources('AWS::Lambda::Function') as Record<string, Resource>,
  ).map(
    (fn) =>
      (fn.Properties.Environment as { Variables?: Record<string, unknown> } | undefined)?.Variables ?? {},
  );

describe('request counting (the bench cost section)', () => {
  it('is off in every function of an ordinary deployment, and on in every function of a bench deployment', () => {
    const ordinary = functionsOf({ benchRoutes: false });
    expect(ordinary.length).toBeGreaterThan(10);
    expect(ordinary.filter((vars) => COUNT_AWS_REQUESTS in vars)).toEqual([]);

    const bench = functionsOf({ benchRoutes: true, countRequests: true });
    expect(bench.map((vars) => vars[COUNT_AWS_REQUESTS])).toEqual(bench.map(() => 'true'));
  });
});
