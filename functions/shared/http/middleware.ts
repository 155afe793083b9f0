import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy, { type MiddlewareObj } from '@middy/core';
import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context } from 'aws-lambda';
import { callerFromAuthorizer } from '../caller.js';
import { ForbiddenError, UnauthorizedError } from '../errors.js';
import { liveSettingsMiddleware } from '../live-settings.js';
import { logger } from '../logger.js';
import { traceRequests } from '../trace/http.js';
import { toErrorResponse } from './errors.js';
import {
  actOnceWith,
  type IdempotencyStore,
  idempotencyKeyOf,
  type KeyedRequest,
  requestFingerprint,
} from './idempotency.js';
import { requestMetrics } from './request-metrics.js';
import {
  type CallerIdentifier,
  type OptionalCallerContext,
  Reply,
  type RequestContext,
  type RouteDeclaration,
  type RouteHandlers,
  type RouteTable,
  SIGNED_IN,
  takesIdempotencyKey,
  type UserContext,
  type ValidRequest,
} from './route.js';
import { validateRequest } from './validate.js';

type HttpRequest = middy.Request<APIGatewayProxyEvent, APIGatewayProxyResult, Error, Context>;

const JSON_HEADERS = { 'content-type': 'application/json; charset=utf-8' };

/** What a handler needs beyond its routes: how to verify tokens on its `optional` routes, where to keep idempotency keys. */
export interface HttpHandlerOptions {
  /** Required when a route is `optional` (see functions/shared/identity/callers.ts). */
  identify?: CallerIdentifier;
  /**
   * Required when a route takes an `Idempotency-Key` (see `takesIdempotencyKey`): the service's
   * idempotency table, `idempotencyStoreOfThisFunction()` (functions/shared/http/idempotency-dynamo.ts).
   */
  idempotency?: IdempotencyStore;
}

/**
 * Builds the Lambda handler of an HTTP service from its route table and one
 * function per route. Every service goes through the same chain:
 * trace -> metrics -> logging context -> live settings -> access log -> error mapping -> routing + validation
 * -> idempotency key (on state-changing routes) -> handler.
 */
export function httpHandler<T extends RouteTable>(
  routes: T,
  handlers: RouteHandlers<T>,
  { identify, idempotency }: HttpHandlerOptions = {},
) {
  const optional = Object.entries(routes).filter(([, route]) => route.auth === 'optional');
  if (optional.length > 0 && !identify)
    throw new Error(
      `routes ${optional.map(([name]) => name).join(', ')} take an optional token: pass identify`,
    );
  const keyed = Object.entries(routes).filter(([, route]) => takesIdempotencyKey(route));
  if (keyed.length > 0 && !idempotency)
    throw new Error(
      `routes ${keyed.map(([name]) => name).join(', ')} take an Idempotency-Key: pass idempotency`,
    );
  const actOnceKeyed = idempotency ? actOnceWith(idempotency) : undefined;
  const byKey = new Map(
    Object.entries(routes).map(([name, route]) => [`${route.method} ${route.path}`, { name, route }]),
  );

  const dispatch = async (event: APIGatewayProxyEvent, lambda: Context): Promise<APIGatewayProxyResult> => {
    const match = byKey.get(`${event.httpMethod} ${event.resource}`);
    // API Gateway only sends declared routes: anything else is a wiring bug, hence a 500.
    if (!match) throw new Error(`no route declared for ${event.httpMethod} ${event.resource}`);
    // Who may call comes before what was sent: a caller without the right does not learn the schema.
    const authorization = headerOf(event.headers, 'authorization');
    const context =
      match.route.auth === 'optional'
        ? await optionalCallerOf(event, authorization, identify as CallerIdentifier)
        : callerOf(match.route, event);
    // A malformed key is refused before anything else about the request, and on its own.
    const key = takesIdempotencyKey(match.route) ? idempotencyKeyOf(event) : undefined;
    const parts = validateRequest(match.route, {
      query: event.queryStringParameters,
      params: event.pathParameters,
      body: event.body,
      isBase64Encoded: event.isBase64Encoded,
      headers: event.headers,
    });
    const handler = handlers[match.name] as (request: ValidRequest<T[keyof T]>) => Promise<unknown>;
    const act = async () =>
      responseOf(
        match.route,
        await handler({ ...parts, context, authorization } as ValidRequest<T[keyof T]>),
      );
    if (key === undefined || !actOnceKeyed) return act();
    const request: KeyedRequest = {
      key,
      route: `${match.route.method} ${match.route.path}`,
      caller: callerIdOf(context),
      fingerprint: requestFingerprint(event, key),
    };
    return actOnceKeyed(request, lambda, act);
  };

  return middy<APIGatewayProxyEvent, APIGatewayProxyResult, Error, Context>()
    .use(traceRequests())
    .use(requestMetrics((event) => byKey.get(`${event.httpMethod} ${event.resource}`)?.name))
    .use(injectLambdaContext(logger, { resetKeys: true }))
    .use(liveSettingsMiddleware())
    .use(accessLog())
    .use(errorMapping())
    .handler(dispatch);
}

/** Whose idempotency keys a request uses: the signed-in caller's, or those of anyone not signed in. */
function callerIdOf(context: RequestContext | UserContext | OptionalCallerContext): string {
  if ('userId' in context) return context.userId;
  if ('caller' in context && context.caller) return context.caller.userId;
  return 'anonymous';
}

/** A handler's result as an API Gateway answer: JSON by default, or as its {@link Reply} says. */
function responseOf(route: RouteDeclaration, result: unknown): APIGatewayProxyResult {
  if (!(result instanceof Reply)) {
    return jsonResponse(route.status ?? (result === undefined ? 204 : 200), result);
  }
  const json = result.contentType === undefined ? jsonResponse(result.status, result.body) : undefined;
  const response: APIGatewayProxyResult = json
    ? { ...json, headers: { ...result.headers, ...json.headers } }
    : {
        statusCode: result.status,
        headers: { ...result.headers, 'content-type': result.contentType as string },
        body: String(result.body ?? ''),
      };
  // Set-Cookie may repeat, so it goes in the multi-value headers, which API Gateway merges in.
  if (result.setCookies.length > 0) response.multiValueHeaders = { 'set-cookie': [...result.setCookies] };
  return response;
}

/** Serialises a body as a JSON API Gateway proxy result (no body for 204). */
export function jsonResponse(
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): APIGatewayProxyResult {
  return {
    statusCode: status,
    headers: { ...JSON_HEADERS, ...headers },
    body: status === 204 || body === undefined ? '' : JSON.stringify(body),
  };
}

/**
 * Who is calling, as the token authorizer put it in the request context, and
 * whether they may call this route. API Gateway never invokes a signed-in
 * route without the authorizer's context; its absence means the route was
 * wired without the authorizer, so refuse rather than guess.
 */
function callerOf(route: RouteDeclaration, event: APIGatewayProxyEvent): RequestContext | UserContext {
  const requestId = requestIdOf(event);
  if (!SIGNED_IN.has(route.auth)) return { requestId };
  const caller = callerFromAuthorizer(event.requestContext?.authorizer);
  if (!caller) throw new UnauthorizedError('a valid bearer token is required');
  if (route.auth === 'admin' && caller.role !== 'admin')
    throw new ForbiddenError('this route is for admins only');
  return { requestId, ...caller };
}

/**
 * On an `optional` route (which API Gateway serves without the authorizer):
 * no token, an anonymous caller; a token, verified here as the authorizer
 * would (signature, expiry, the role the directory gives now), or a 401.
 */
async function optionalCallerOf(
  event: APIGatewayProxyEvent,
  authorization: string | undefined,
  identify: CallerIdentifier,
): Promise<OptionalCallerContext> {
  const requestId = requestIdOf(event);
  if (authorization === undefined || authorization.trim() === '') return { requestId, caller: undefined };
  return { requestId, caller: await identify(authorization) };
}

/** A header's value whatever its spelling: API Gateway keeps the client's. */
function headerOf(headers: APIGatewayProxyEvent['headers'] | null, name: string): string | undefined {
  return Object.entries(headers ?? {}).find(([key]) => key.toLowerCase() === name)?.[1];
}

function requestIdOf(event: APIGatewayProxyEvent): string {
  return event?.requestContext?.requestId ?? 'unknown';
}

/** Appends the API request id to every log line and writes one summary line per request. */
function accessLog(): MiddlewareObj<APIGatewayProxyEvent, APIGatewayProxyResult, Error, Context> {
  const started = new WeakMap<object, number>();
  const write = (request: HttpRequest): void => {
    const status = request.response?.statusCode ?? 500;
    logger.info('request', {
      method: request.event.httpMethod,
      path: request.event.path,
      route: request.event.resource,
      status,
      durationMs: Date.now() - (started.get(request) ?? Date.now()),
    });
  };
  return {
    before: (request) => {
      started.set(request, Date.now());
      logger.appendKeys({ requestId: requestIdOf(request.event) });
      // Seen only with the service's log level at DEBUG (`npm run config -- set <service>/logLevel DEBUG`).
      logger.debug('request received', {
        method: request.event.httpMethod,
        route: request.event.resource,
        queryKeys: Object.keys(request.event.queryStringParameters ?? {}),
      });
    },
    after: write,
    onError: write,
  };
}

/** Maps thrown errors to responses; the only place that shapes an error body. */
function errorMapping(): MiddlewareObj<APIGatewayProxyEvent, APIGatewayProxyResult, Error, Context> {
  return {
    onError: (request) => {
      const { status, body, headers } = toErrorResponse(request.error, requestIdOf(request.event));
      if (status >= 500) logger.error('request failed', { error: request.error });
      request.response = jsonResponse(status, body, headers);
    },
  };
}
