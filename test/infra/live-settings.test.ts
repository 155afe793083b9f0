import type { Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { DEPLOYABLE } from '../../functions/services.js';
import { ENV } from '../../functions/shared/env-names.js';
import { SETTINGS } from '../../functions/shared/settings.js';
import { FUNCTION_BUNDLE_METADATA } from '../../lib/bundles/registry.js';
import { OUTPUT, STACK_NAME } from '../../lib/stack-outputs.js';
import { resourcesOf, stackTemplate } from '../support/stack-template.js';

let template: Template;

beforeAll(() => {
  template = stackTemplate({ benchRoutes: true });
});

const resources = (type: string) => resourcesOf(template, type);

/** Each SSM parameter's name, by logical id. */
const parameterNames = () =>
  new Map(resources('AWS::SSM::Parameter').map(([id, r]) => [id, r.Properties.Name as string]));

/** The parameter names a policy statement's resources point at (each ARN refers to its parameter). */
function parametersIn(statement: Record<string, unknown>): string[] {
  const names = parameterNames();
  const refs = [...JSON.stringify(statement.Resource).matchAll(/"Ref":"([^"]+)"/g)].map(
    (m) => m[1] as string,
  );
  return refs.filter((ref) => names.has(ref)).map((ref) => names.get(ref) as string);
}

/** Every SSM statement of the stack's policies, with the logical ids of the roles it is attached to. */
function ssmStatements(): Array<{ roles: string[]; statement: Record<string, unknown> }> {
  return resources('AWS::IAM::Policy').flatMap(([, r]) => {
    const roles = ((r.Properties.Roles ?? []) as Array<{ Ref: string }>).map((role) => role.Ref);
    return (r.Properties.PolicyDocument as { Statement: Array<Record<string, unknown>> }).Statement.filter(
      (statement) => JSON.stringify(statement.Action).includes('ssm:'),
    ).map((statement) => ({ roles, statement }));
  });
}

/** Every function's bundle, service, role and whether it calls RPC, from the declarations. */
function declaredFunctions() {
  const fns = resources('AWS::Lambda::Function');
  return DEPLOYABLE.flatMap((service) =>
    Object.entries(service.functions).map(([bundle, declaration]) => {
      const [, fn] = fns.find(([, r]) => r.Metadata?.[FUNCTION_BUNDLE_METADATA] === bundle) ?? [];
      if (!fn) throw new Error(`no function runs ${bundle}`);
      return {
        bundle,
        service: service.name,
        callsRpc: (declaration.calls ?? []).length > 0,
        role: (fn.Properties.Role as { 'Fn::GetAtt': [string, string] })['Fn::GetAtt'][0],
        env: (fn.Properties.Environment as { Variables: Record<string, unknown> }).Variables,
      };
    }),
  );
}

describe('live settings', () => {
  it("exist as SSM parameters with their deployed defaults: each service's log level and the RPC deadline", () => {
    const expected = [
      ...DEPLOYABLE.map((s) => [`/${STACK_NAME}/${s.name}/logLevel`, SETTINGS.logLevel.default]),
      [`/${STACK_NAME}/rpc/deadlineMs`, SETTINGS.deadlineMs.default],
    ].sort();
    const found = resources('AWS::SSM::Parameter')
      .map(([, r]) => {
        expect(r.Properties.Type).toBe('String');
        return [r.Properties.Name, r.Properties.Value];
      })
      .sort();
    expect(found).toEqual(expected);
    expect(SETTINGS.logLevel.default).toBe('INFO');
    expect(SETTINGS.deadlineMs.default).toBe('5000');
  });

  it('has their prefix as a stack output, for npm run config, and in every function environment', () => {
    template.hasOutput(OUTPUT.settingsPrefix, { Value: `/${STACK_NAME}/` });
    for (const fn of declaredFunctions())
      expect(fn.env[ENV.settingsPrefix], fn.bundle).toBe(`/${STACK_NAME}/`);
  });

  it('may be read only by the functions of their service (the RPC deadline by the functions that call RPC), and written by none', () => {
    const statements = ssmStatements();
    for (const { statement } of statements) {
      expect(statement.Effect).toBe('Allow');
      expect([statement.Action].flat().sort()).toEqual(['ssm:GetParameter', 'ssm:GetParameters']);
    }
    for (const fn of declaredFunctions()) {
      const readable = statements
        .filter(({ roles }) => roles.includes(fn.role))
        .flatMap(({ statement }) => parametersIn(statement))
        .sort();
      expect(readable, fn.bundle).toEqual(
        [
          `/${STACK_NAME}/${fn.service}/logLevel`,
          ...(fn.callsRpc ? [`/${STACK_NAME}/rpc/deadlineMs`] : []),
        ].sort(),
      );
    }
    // No other role (the custom resources', the API's) reads a setting.
    const functionRoles = new Set(declaredFunctions().map((fn) => fn.role));
    for (const { roles } of statements)
      for (const role of roles) expect(functionRoles.has(role), role).toBe(true);
  });
});
