import { describe, expect, it } from 'vitest';
import { DEPLOYABLE, SERVICES } from '../../functions/services.js';
import { ENV } from '../../functions/shared/env-names.js';
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

describe('reading the stack’s logs (traces)', () => {
  const template = stackTemplate();
  const functions = resourcesOf(template, 'AWS::Lambda::Function');
  const readers = DEPLOYABLE.flatMap((s) =>
    Object.entries(s.functions)
      .filter(([, fn]) => fn.stackLogs === 'read')
      .map(([bundle]) => bundle),
  );
  const statementsOfRole = (role: string) =>
    resourcesOf(template, 'AWS::IAM::Policy')
      .filter(([, policy]) => (policy.Properties.Roles as Array<{ Ref: string }>).some((r) => r.Ref === role))
      .flatMap(([, policy]) => policy.Properties.PolicyDocument.Statement as Array<Record<string, any>>);
  const roleOf = (fn: (typeof functions)[number][1]) => fn.Properties.Role['Fn::GetAtt'][0] as string;
  const reads = (statement: Record<string, any>) =>
    ([] as unknown[])
      .concat(statement.Action)
      .some((action) =>
        /^logs:(FilterLogEvents|GetLogEvents|DescribeLogGroups|StartQuery)$/.test(String(action)),
      );

  it('is declared by the trace reader alone, which may FilterLogEvents on the stack’s function log groups and nothing more', () => {
    expect(readers).toEqual(['status-traces']);
    const [, reader] =
      functions.find(([, fn]) => fn.Metadata?.[FUNCTION_BUNDLE_METADATA] === 'status-traces') ?? [];
    if (!reader) throw new Error('no function runs status-traces');
    expect(statementsOfRole(roleOf(reader)).filter(reads)).toEqual([
      {
        Effect: 'Allow',
        Action: 'logs:FilterLogEvents',
        Resource: {
          'Fn::Join': [
            '',
            [
              'arn:',
              { Ref: 'AWS::Partition' },
              `:logs:eu-west-1:111111111111:log-group:/microservices/${STACK_NAME}/*`,
            ],
          ],
        },
      },
    ]);
    for (const [id, fn] of functions) {
      if (fn === reader) continue;
      expect(statementsOfRole(roleOf(fn)).filter(reads), id).toEqual([]);
    }
  });

  it('tells the reader every other function’s log group, not its own', () => {
    const [, reader] =
      functions.find(([, fn]) => fn.Metadata?.[FUNCTION_BUNDLE_METADATA] === 'status-traces') ?? [];
    const told = String(reader?.Properties.Environment.Variables[ENV.stackLogGroups]).split(',');
    const all = resourcesOf(template, 'AWS::Logs::LogGroup')
      .map(([, group]) => group.Properties.LogGroupName as string)
      .filter((name) => typeof name === 'string' && functionOfLogGroup(STACK_NAME, name));
    const own = `/microservices/${STACK_NAME}/status/traces`;
    expect(all).toContain(own);
    expect(told.sort()).toEqual(all.filter((name) => name !== own).sort());
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
