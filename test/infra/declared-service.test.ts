import { App } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { apiDocument } from '../../functions/docs/document.js';
import { SERVICES } from '../../functions/services.js';
import { FUNCTION_BUNDLE_METADATA } from '../../lib/bundles/registry.js';
import { MicroservicesStack } from '../../lib/microservices-stack.js';
import { documentedRoutes, templateRoutes } from '../support/template-routes.js';
import { notesService } from './fixtures/notes/service.js';

/**
 * The README's "Adding a service": a service with one route and one table,
 * declared in one file and added to the service list, is deployed, granted,
 * routed and documented with no construct of its own.
 */
const services = [...SERVICES, notesService];
let template: Template;
let notesFunctionId: string;
let notesTableId: string;

beforeAll(() => {
  const app = new App();
  const stack = new MicroservicesStack(app, 'Example', {
    env: { account: '111111111111', region: 'eu-west-1' },
    services,
  });
  template = Template.fromStack(stack);
  const functions = Object.entries(template.findResources('AWS::Lambda::Function')).filter(
    ([, fn]) => fn.Metadata?.[FUNCTION_BUNDLE_METADATA] === 'notes',
  );
  expect(functions).toHaveLength(1);
  notesFunctionId = functions[0]?.[0] as string;
  const tables = Object.keys(template.findResources('AWS::DynamoDB::Table')).filter((id) =>
    id.startsWith('notesservicenotestable'),
  );
  expect(tables).toHaveLength(1);
  notesTableId = tables[0] as string;
});

describe('a service declared in one file', () => {
  it('gets its table, with the declared key', () => {
    expect(template.toJSON().Resources[notesTableId].Properties).toMatchObject({
      KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
      BillingMode: 'PAY_PER_REQUEST',
    });
  });

  it('gets its function, told the table name under the derived variable', () => {
    template.hasResourceProperties('AWS::Lambda::Function', {
      Description: 'Reads notes',
      Environment: {
        Variables: Match.objectLike({
          POWERTOOLS_SERVICE_NAME: 'notes',
          NOTES_TABLE: { Ref: notesTableId },
        }),
      },
    });
  });

  it('may do exactly what it declares on its table, and no other function may touch it (the health checks only describe it)', () => {
    const role = (template.toJSON().Resources[notesFunctionId].Properties.Role as { 'Fn::GetAtt': [string] })[
      'Fn::GetAtt'
    ][0];
    const onTable = Object.values(template.findResources('AWS::IAM::Policy')).flatMap((policy) =>
      (policy.Properties.PolicyDocument.Statement as Array<{ Action: unknown; Resource: unknown }>)
        .filter((statement) => JSON.stringify(statement.Resource).includes(`"${notesTableId}"`))
        .map((statement) => ({ roles: policy.Properties.Roles, action: statement.Action })),
    );
    expect(onTable.filter((s) => s.action !== 'dynamodb:DescribeTable')).toEqual([
      { roles: [{ Ref: role }], action: 'dynamodb:GetItem' },
    ]);
    // DescribeTable reads the table's state, not its items: the health functions' check of it.
    expect(onTable.filter((s) => s.action === 'dynamodb:DescribeTable')).toHaveLength(2);
  });

  it('has its route on the API, behind the authorizer, invoking its function', () => {
    expect(templateRoutes(template).get('GET /notes/{id}')).toEqual({
      authorizationType: 'CUSTOM',
      bundle: 'notes',
    });
  });

  it('is in the API document, beside every other deployed route', () => {
    const documented = documentedRoutes(apiDocument(services));
    expect(documented).toContain('GET /notes/{id}');
    expect(documented.sort()).toEqual([...templateRoutes(template).keys()].sort());
  });
});
