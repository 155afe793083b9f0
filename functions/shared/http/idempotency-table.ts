import { type AnyService, routesOf, type TableDeclaration } from '../service.js';
import { takesIdempotencyKey } from './route.js';

/**
 * The idempotency table of a service, made by the stack for every service
 * whose functions serve routes that take an `Idempotency-Key`
 * (lib/idempotency-table.ts), written by Powertools idempotency's DynamoDB
 * persistence layer with its default attributes: partition key `id`, `status`
 * (`INPROGRESS`, `COMPLETED`), `expiration` (epoch seconds; the table's TTL
 * attribute), `in_progress_expiration` (epoch milliseconds), `validation` (a
 * hash of the request's fingerprint) and `data` (the answer). SDK-free, for the stack.
 */
export const IDEMPOTENCY_TABLE = {
  partitionKey: 'id',
  timeToLiveAttribute: 'expiration',
} as const satisfies TableDeclaration;

/** The table's name among its service's tables (`idempotency-table`, output `<Service>IdempotencyTable`, its health check). */
export const IDEMPOTENCY_TABLE_NAME = 'idempotency';

/** The functions of a service that serve a route taking an `Idempotency-Key`, by bundle: they use the table. */
export const keyedFunctions = (service: AnyService): string[] =>
  Object.entries(service.functions)
    .filter(([, fn]) => Object.values(routesOf(service, fn)).some(takesIdempotencyKey))
    .map(([bundle]) => bundle);
