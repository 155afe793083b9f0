import type { Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { SERVICES } from '../../functions/services.js';
import { keyedFunctions } from '../../functions/shared/http/idempotency-table.js';
import { takesIdempotencyKey } from '../../functions/shared/http/route.js';
import { routesOf } from '../../functions/shared/service.js';
import { FUNCTION_BUNDLE_METADATA } from '../../lib/bundles/registry.js';
import { outputName } from '../../lib/stack-outputs.js';
import { type Resource, resourcesOf, stackTemplate } from '../support/stack-template.js';

let template: Template;
beforeAll(() => {
  template = stackTemplate();
});

/** The logical id of the table an output names. */
const tableOfOutput = (name: string): string | undefined =>
  (template.toJSON().Outputs?.[name]?.Value as { Ref?: string } | undefined)?.Ref;

/** The bundles whose roles may act on the items of a table, with the actions each may take. */
function grantsOn(tableId: string): Record<string, string[]> {
  const bundleOfRole = new Map(
    resourcesOf(template, 'AWS::Lambda::Function').map(([, fn]) => [
      (fn.Properties.Role as { 'Fn::GetAtt': [string] })['Fn::GetAtt'][0],
      String(fn.Metadata?.[FUNCTION_BUNDLE_METADATA]),
    ]),
  );
  const grants: Record<string, string[]> = {};
  for (const [, policy] of resourcesOf(template, 'AWS::IAM::Policy')) {
    for (const statement of policy.Properties.PolicyDocument.Statement as Array<Record<string, unknown>>) {
      if (!JSON.stringify(statement.Resource).includes(`"${tableId}"`)) continue;
      if (statement.Action === 'dynamodb:DescribeTable') continue; // the health check's look at its state
      for (const role of policy.Properties.Roles as Array<{ Ref: string }>) {
        const bundle = bundleOfRole.get(role.Ref) ?? role.Ref;
        grants[bundle] = [...(grants[bundle] ?? []), ...([] as string[]).concat(statement.Action as string)];
      }
    }
  }
  return grants;
}

describe('idempotency tables', () => {
  const keyedServices = SERVICES.filter((s) => keyedFunctions(s).length > 0);

  it('are made for exactly the services that serve a state-changing route', () => {
    expect(keyedServices.map((s) => s.name).sort()).toEqual(
      ['auth', 'bookings', 'movies', 'search', 'tasks', 'users'].sort(),
    );
    for (const service of SERVICES) {
      const id = tableOfOutput(outputName.table(service.name, 'idempotency'));
      expect(Boolean(id), service.name).toBe(keyedServices.includes(service));
    }
  });

  it('key records by `id` and let DynamoDB expire them by their `expiration`, as Powertools lays them out', () => {
    for (const service of keyedServices) {
      const id = tableOfOutput(outputName.table(service.name, 'idempotency')) as string;
      const table = template.toJSON().Resources[id] as Resource;
      expect(table.Properties).toMatchObject({
        KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
        TimeToLiveSpecification: { AttributeName: 'expiration', Enabled: true },
        BillingMode: 'PAY_PER_REQUEST',
      });
    }
  });

  it('may be used only by the functions serving those routes, with the four actions the layer needs', () => {
    for (const service of keyedServices) {
      const id = tableOfOutput(outputName.table(service.name, 'idempotency')) as string;
      const expected = Object.entries(service.functions)
        .filter(([, fn]) => Object.values(routesOf(service, fn)).some(takesIdempotencyKey))
        .map(([bundle]) => bundle);
      const grants = grantsOn(id);
      expect(Object.keys(grants).sort(), service.name).toEqual(expected.sort());
      for (const actions of Object.values(grants)) {
        expect(actions.sort()).toEqual([
          'dynamodb:DeleteItem',
          'dynamodb:GetItem',
          'dynamodb:PutItem',
          'dynamodb:UpdateItem',
        ]);
      }
    }
  });

  it('are named to each such function in IDEMPOTENCY_TABLE, and to no other function', () => {
    const told = resourcesOf(template, 'AWS::Lambda::Function')
      .filter(([, fn]) => fn.Properties.Environment?.Variables?.IDEMPOTENCY_TABLE !== undefined)
      .map(([, fn]) => String(fn.Metadata?.[FUNCTION_BUNDLE_METADATA]));
    expect(told.sort()).toEqual(keyedServices.flatMap(keyedFunctions).sort());
  });
});
