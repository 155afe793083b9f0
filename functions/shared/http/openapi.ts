import { toJSONSchema } from 'zod/mini';
import type { $ZodType } from 'zod/v4/core';
import { IDEMPOTENCY_KEY_PARAMETER, REPLAYED_HEADER } from './idempotency.js';
import {
  type AuthMode,
  type RouteDeclaration,
  type RouteTable,
  SIGNED_IN,
  takesIdempotencyKey,
} from './route.js';

type JsonSchema = Record<string, unknown>;

const DESCRIPTIONS: Record<number, string> = {
  200: 'OK',
  201: 'Created',
  204: 'No content',
  400: 'Invalid request; `fields` names each offending field',
  401: 'Missing, malformed, expired or foreign bearer token, or a deleted account',
  403: 'Valid token, but the route is for admins only',
  404: 'Not found',
  409: 'Conflict',
  413: 'Body too large',
  422: 'The `Idempotency-Key` was already used for a different request',
  503: 'Something the service depends on is down (the body says what)',
  429: 'Too many requests: the stage throttles every route, and some limit each person (`Retry-After` says when to try again)',
  415: 'The body is not sent as `Content-Type: application/json`',
  500: 'Internal error',
  502: 'Another service failed',
  504: 'Another service did not answer in time',
};

const ERROR_BODY: JsonSchema = {
  type: 'object',
  required: ['error', 'message'],
  properties: {
    error: { type: 'string', examples: ['ValidationError'] },
    message: { type: 'string' },
    requestId: { type: 'string' },
    traceId: { type: 'string', description: 'The W3C trace id of the request (npm run trace)' },
    fields: {
      type: 'array',
      items: {
        type: 'object',
        required: ['field', 'message'],
        properties: { field: { type: 'string', examples: ['query.param'] }, message: { type: 'string' } },
      },
    },
  },
};

/** A 409 on a route that takes an `Idempotency-Key`: its own conflicts, or a repeat of a request still running. */
const CONFLICT_OR_KEY_IN_USE =
  'Conflict, or a request with the same `Idempotency-Key` is still running (error `IdempotencyKeyInUse`; `Retry-After` says when to try again for its answer)';

const TOO_MANY_ATTEMPTS =
  'Too many requests: the stage throttles every route, and this route limits attempts of its own; `Retry-After` (seconds) says when to try again';

/** The line every operation's summary ends with: who may call it. */
const WHO: Record<AuthMode, string> = {
  none: 'Anyone may call.',
  optional: 'Anyone may call; a bearer token, when sent, must be valid, and may show more.',
  user: 'Requires a signed-in user (bearer token).',
  admin: 'Requires an admin (bearer token of a member of the admin group).',
};

/** What API Gateway and the middleware answer before a route's handler runs, by who may call it. */
const AUTH_ERRORS: Record<AuthMode, number[]> = { none: [], optional: [401], user: [401], admin: [401, 403] };

/** JSON Schema of what a client sends (`input`) or receives (`output`). */
function jsonSchema(schema: $ZodType, io: 'input' | 'output'): JsonSchema {
  const { $schema: _, ...rest } = toJSONSchema(schema, { io, unrepresentable: 'any' }) as JsonSchema;
  return rest;
}

type ObjectSchema = { properties?: Record<string, JsonSchema>; required?: string[] };

/**
 * Path and query parameters. Their values arrive as strings and are coerced
 * (`z.coerce`, `z.preprocess`), so the input-side schema of a number says
 * nothing; the output side holds the constraints the API enforces (type,
 * integer-ness, range), which is what a client must send. Whether a
 * parameter is required is an input-side fact (a default makes it optional).
 */
const LOCATION = { params: 'path', query: 'query', cookies: 'cookie' } as const;

function parameters(route: RouteDeclaration) {
  const declared = (['params', 'query', 'cookies'] as const).flatMap((part) => {
    const schema = route[part];
    if (!schema) return [];
    const input = jsonSchema(schema, 'input') as ObjectSchema;
    const output = jsonSchema(schema, 'output') as ObjectSchema;
    return Object.entries(output.properties ?? {}).map(([name, property]) => ({
      name,
      in: LOCATION[part],
      required: part === 'params' || (input.required ?? []).includes(name),
      schema: property,
      ...(typeof property.description === 'string' ? { description: property.description } : {}),
    }));
  });
  return takesIdempotencyKey(route) ? [...declared, IDEMPOTENCY_KEY_PARAMETER] : declared;
}

/**
 * Every status a route can answer with: its declared success status(es), the
 * errors the shared middleware and the gateway give (400 for any input, 413
 * and 415 for bodies, 401 and 403 by who may call it, 429 from the stage's
 * throttling), its own `errors`, 409 and 422 when it takes an `Idempotency-Key`, and 500.
 */
function statuses(route: RouteDeclaration): { success: number[]; errors: number[] } {
  const keyed = takesIdempotencyKey(route);
  const hasInput = keyed || Boolean(route.query || route.params || route.cookies || route.body);
  const errors = new Set([
    ...(hasInput ? [400] : []),
    ...AUTH_ERRORS[route.auth],
    ...(route.errors ?? []),
    // A route that waits on another service (504 when it does not answer) gets 502 when it fails.
    ...(route.errors?.includes(504) ? [502] : []),
    ...(route.body ? [413, 415] : []),
    ...(keyed ? [409, 422] : []),
    429,
    500,
  ]);
  return {
    success: [route.status ?? 200, ...(route.otherStatuses ?? [])],
    errors: [...errors].sort((a, b) => a - b),
  };
}

function operation(service: string, name: string, route: RouteDeclaration) {
  const { success, errors } = statuses(route);
  const responses: Record<string, unknown> = {};
  const setCookie = Object.entries(route.setsCookies ?? {});
  const keyed = takesIdempotencyKey(route);
  const headers = {
    ...(setCookie.length > 0
      ? {
          'Set-Cookie': {
            description: setCookie.map(([name, what]) => `\`${name}\`: ${what}`).join('; '),
            schema: { type: 'string' },
          },
        }
      : {}),
    ...(keyed
      ? {
          [REPLAYED_HEADER]: {
            description:
              'Present (`true`) when this is the kept answer of an earlier request with the same `Idempotency-Key`',
            schema: { type: 'string', enum: ['true'] },
          },
        }
      : {}),
  };
  for (const status of success) {
    responses[status] = {
      description: DESCRIPTIONS[status] ?? 'OK',
      ...(Object.keys(headers).length > 0 ? { headers } : {}),
      // A 204 has no body, whatever the route answers with its other statuses.
      ...(route.response && status !== 204
        ? { content: { 'application/json': { schema: jsonSchema(route.response, 'output') } } }
        : {}),
    };
  }
  for (const status of errors) {
    // A route that declares 429 itself refuses by its own rule too, and says when to come back.
    const ownLimit = status === 429 && route.errors?.includes(429);
    const keyInUse = status === 409 && keyed;
    responses[status] = {
      description: ownLimit
        ? TOO_MANY_ATTEMPTS
        : keyInUse
          ? CONFLICT_OR_KEY_IN_USE
          : (DESCRIPTIONS[status] ?? 'Error'),
      ...(ownLimit || keyInUse
        ? { headers: { 'Retry-After': { description: 'Seconds to wait', schema: { type: 'integer' } } } }
        : {}),
      content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } },
    };
  }
  return {
    tags: [service],
    operationId: `${service}.${name}`,
    summary: `${route.summary}. ${WHO[route.auth]}`,
    parameters: parameters(route),
    ...(route.body
      ? {
          requestBody: {
            required: true,
            content: { 'application/json': { schema: jsonSchema(route.body, 'input') } },
          },
        }
      : {}),
    responses,
    // Stated on every operation (an empty list says the route is open). OpenAPI scopes are
    // for OAuth: the required role goes in the summary and x-required-role.
    ...(SIGNED_IN.has(route.auth)
      ? { security: [{ bearer: [] }], 'x-required-role': route.auth }
      : // An empty requirement beside the bearer one: the token is optional.
        { security: route.auth === 'optional' ? [{}, { bearer: [] }] : [] }),
  };
}

/**
 * The OpenAPI 3.1 document of the API, generated from the same route tables
 * that wire API Gateway and validate requests: nothing is written twice.
 */
export function openApiDocument(
  services: Readonly<Record<string, RouteTable>>,
  info: { title: string; version: string; description: string },
) {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const [service, routes] of Object.entries(services)) {
    for (const [name, route] of Object.entries(routes)) {
      paths[route.path] ??= {};
      (paths[route.path] as Record<string, unknown>)[route.method.toLowerCase()] = operation(
        service,
        name,
        route,
      );
    }
  }
  return {
    openapi: '3.1.0',
    info,
    // Relative to where the document is served: the API's stage root, on any host.
    servers: [{ url: '.' }],
    paths,
    components: {
      schemas: { Error: ERROR_BODY },
      securitySchemes: {
        bearer: {
          type: 'http',
          scheme: 'bearer',
          bearerFormat: 'JWT',
          description: 'accessToken from POST /auth/login',
        },
      },
    },
  };
}
