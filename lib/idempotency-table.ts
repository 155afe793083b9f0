import type { Table } from 'aws-cdk-lib/aws-dynamodb';
import type { Construct } from 'constructs';
import { ENV } from '../functions/shared/env-names.js';
import {
  IDEMPOTENCY_TABLE,
  IDEMPOTENCY_TABLE_NAME,
  keyedFunctions,
} from '../functions/shared/http/idempotency-table.js';
import type { AnyService, DynamoAction } from '../functions/shared/service.js';
import { declaredTable } from './declared-resources.js';
import type { ServiceFunction } from './service-function.js';

/** What the idempotency layer does with its table (functions/shared/http/idempotency-dynamo.ts), and nothing more. */
export const IDEMPOTENCY_ACTIONS: readonly DynamoAction[] = [
  'GetItem',
  'PutItem',
  'UpdateItem',
  'DeleteItem',
];

/**
 * The idempotency table of a service (`idempotency-table`), made when one of
 * its functions serves a route that takes an `Idempotency-Key` (derived from
 * the routes: POST, PUT, PATCH, DELETE). Keys are kept 24 h; DynamoDB's TTL
 * removes them after that. The service then treats it as one of its tables
 * (output, health check) under {@link IDEMPOTENCY_TABLE_NAME}.
 */
export function idempotencyTable(scope: Construct, service: AnyService): Table | undefined {
  if (keyedFunctions(service).length === 0) return undefined;
  if (service.tables?.[IDEMPOTENCY_TABLE_NAME])
    throw new Error(
      `${service.name} declares a table "${IDEMPOTENCY_TABLE_NAME}", the name of its idempotency table`,
    );
  return declaredTable(scope, `${IDEMPOTENCY_TABLE_NAME}-table`, IDEMPOTENCY_TABLE);
}

/**
 * Lets the functions of a service that serve keyed routes use its idempotency
 * table, with the four actions the layer needs, and tells each its name: no
 * other function may.
 */
export function allowIdempotency(
  service: AnyService,
  table: Table,
  functions: Readonly<Record<string, ServiceFunction>>,
): void {
  for (const bundle of keyedFunctions(service)) {
    const fn = functions[bundle];
    if (!fn) throw new Error(`${service.name} has no function ${bundle}`);
    table.grant(fn.fn, ...IDEMPOTENCY_ACTIONS.map((action) => `dynamodb:${action}`));
    fn.setEnv(ENV.idempotencyTable, table.tableName);
  }
}
