import { describe, expect, it } from 'vitest';
import { SERVICES } from '../../functions/services.js';
import { FUNCTION_BUNDLE_METADATA } from '../../lib/bundles/registry.js';
import { functionLogGroupName, functionOfLogGroup } from '../../lib/log-group-names.js';
import { STACK_NAME } from '../../lib/stack-outputs.js';
import { resourcesOf, stackTemplate } from '../support/stack-template.js';

describe('function log groups', () => {
  const template = stackTemplate();
  const groups = new Map(
    resourcesOf(template, 'AWS::Logs::LogGroup').map(([id, group]) => [id, group.Properties.LogGroupName]),
  );

  it('are named /microservices/<stack>/<service>/<function>, one per function, each from its declaration', () => {
    const functions = resourcesOf(template, 'AWS::Lambda::Function');
    expect(functions.length).toBeGreaterThan(10);
    const names = functions.map(([id, fn]) => {
      const ref = (fn.Properties.LoggingConfig as { LogGroup: { Ref: string } }).LogGroup.Ref;
      const name = groups.get(ref);
      expect(typeof name, `${id} has a named log group`).toBe('string');
      const owner = functionOfLogGroup(STACK_NAME, name as string);
      const bundle = fn.Metadata?.[FUNCTION_BUNDLE_METADATA] as string;
      // The RPC janitor belongs to the stack's RPC machinery rather than to a declared service.
      const service = SERVICES.find((s) => bundle in s.functions)?.name ?? 'rpc';
      expect(owner?.service, name).toBe(service);
      expect(bundle.endsWith(owner?.function ?? '?'), name).toBe(true);
      return name;
    });
    expect(new Set(names).size).toBe(names.length);
    expect(names).toContain(`/microservices/${STACK_NAME}/bookings/saga`);
    expect(names).toContain(`/microservices/${STACK_NAME}/bookings/bookings`);
  });
});

describe('log group names', () => {
  it('name the service and the function, and are read back only for the stack', () => {
    expect(functionLogGroupName('Microservices', 'bookings', 'bookings-saga')).toBe(
      '/microservices/Microservices/bookings/saga',
    );
    expect(functionLogGroupName('Microservices', 'bookings', 'bookings')).toBe(
      '/microservices/Microservices/bookings/bookings',
    );
    expect(functionOfLogGroup('Microservices', '/microservices/Microservices/movies/rpc')).toEqual({
      service: 'movies',
      function: 'rpc',
    });
    expect(functionOfLogGroup('Microservices', '/microservices/Other/movies/rpc')).toBeUndefined();
    expect(functionOfLogGroup('Microservices', '/aws/lambda/Microservices-movies')).toBeUndefined();
    expect(
      functionOfLogGroup('Microservices', '/microservices/Microservices/movies/rpc/extra'),
    ).toBeUndefined();
  });
});
