import type * as z from 'zod/v4/core';
import type { Caller } from '../caller.js';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/**
 * Who may call a route: `none` anyone; `user` any signed-in person (a verified
 * access token); `admin` a signed-in member of the `admin` group; `optional`
 * anyone, and a caller who sends a bearer token is verified as on signed-in
 * routes (an invalid one is a 401) and handed to the handler as
 * `context.caller`, so the route may show an admin more. Every route
 * declares one; the authorization table in test/unit checks each choice.
 */
export type AuthMode = 'none' | 'optional' | 'user' | 'admin';

/** Routes that need a token: their handlers get a {@link UserContext}. */
export const SIGNED_IN: ReadonlySet<AuthMode> = new Set(['user', 'admin']);

/**
 * Everything about one API route, declared once. The CDK wiring, the runtime
 * validation and the OpenAPI document are all derived from this object.
 */
export interface RouteDeclaration {
  method: HttpMethod;
  /** API Gateway resource path, e.g. `/tasks/{id}`. */
  path: `/${string}`;
  summary: string;
  auth: AuthMode;
  query?: z.$ZodType;
  params?: z.$ZodType;
  /** Cookies the route reads, by name (from the `Cookie` header); documented as cookie parameters. */
  cookies?: z.$ZodType;
  body?: z.$ZodType;
  /** Largest accepted body in bytes (413 above it); defaults to {@link DEFAULT_MAX_BODY_BYTES}. */
  maxBodyBytes?: number;
  /** Status of a successful response; defaults to 200. */
  status?: number;
  /** Other success statuses the handler answers with through a {@link Reply} (an upsert's 201), same body. */
  otherStatuses?: readonly number[];
  /**
   * Schema of a successful response body: the API document shows it, and the
   * handler must return its type (see {@link RouteHandlers}).
   */
  response?: z.$ZodType;
  /** Error statuses this route can answer with, for the API document. */
  errors?: readonly number[];
  /** Cookies its successful answers set (`Set-Cookie`), by name and what they are, for the API document. */
  setsCookies?: Readonly<Record<string, string>>;
  /**
   * POST, PUT, PATCH and DELETE routes take an `Idempotency-Key` header
   * (functions/shared/http/idempotency.ts): a repeat of a request with the
   * same key gets the first answer without acting again. `false` turns it off
   * for a route whose answers must never be stored (they carry tokens or
   * cookies); say why beside it.
   */
  idempotencyKey?: false;
}

/** The methods that change state: their routes take an `Idempotency-Key` unless they say otherwise. */
const CHANGES_STATE: ReadonlySet<HttpMethod> = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** True when a route takes the `Idempotency-Key` header: derived from its method, unless it opts out. */
export const takesIdempotencyKey = (route: RouteDeclaration): boolean =>
  CHANGES_STATE.has(route.method) && route.idempotencyKey !== false;

export type RouteTable = Readonly<Record<string, RouteDeclaration>>;

export const DEFAULT_MAX_BODY_BYTES = 16 * 1024;

/** Declares a service's route table, keeping the literal types of every schema. */
/* @__NO_SIDE_EFFECTS__ */
export function defineRoutes<const T extends RouteTable>(routes: T): T {
  return routes;
}

type Parsed<S> = S extends z.$ZodType ? z.output<S> : undefined;

/** Under which request id a call runs; filled in by the middleware. */
export interface RequestContext {
  /** API Gateway request id, carried into logs and log-feed messages. */
  requestId: string;
}

/** On `user` and `admin` routes: who is calling, as verified by the token authorizer and nothing else. */
export interface UserContext extends RequestContext, Caller {}

/** On `optional` routes: who is calling when a valid token was sent; `undefined` when none was. */
export interface OptionalCallerContext extends RequestContext {
  caller: Caller | undefined;
}

/**
 * Verifies an `Authorization` header on `optional` routes: the caller and their
 * role now, or an UnauthorizedError. Given to the handler by the function
 * (functions/shared/identity/callers.ts), so functions without such routes do
 * not bundle the token verifier.
 */
export type CallerIdentifier = (authorization: string) => Promise<Caller>;

/** A request after validation: every part already typed by its schema. */
export interface ValidRequest<R extends RouteDeclaration> {
  query: Parsed<R['query']>;
  params: Parsed<R['params']>;
  cookies: Parsed<R['cookies']>;
  body: Parsed<R['body']>;
  context: R['auth'] extends 'none'
    ? RequestContext
    : R['auth'] extends 'optional'
      ? OptionalCallerContext
      : UserContext;
  /**
   * The `Authorization` header as sent, unverified: for a public route that
   * treats a signed-in caller differently, which verifies it itself.
   */
  authorization: string | undefined;
}

/**
 * A response whose status differs from the route's declared one (e.g. upsert:
 * 200 or 201), whose body is not JSON (give a string and its content type),
 * that carries headers of its own (a page's security headers), or that sets
 * cookies (`setCookies`: one `Set-Cookie` value each).
 */
export class Reply<B = unknown> {
  constructor(
    readonly status: number,
    readonly body?: B,
    readonly contentType?: string,
    readonly headers: Readonly<Record<string, string>> = {},
    readonly setCookies: readonly string[] = [],
  ) {}
}

/** The body a route's handler returns: what its declared response schema accepts. */
export type ResponseBody<R extends RouteDeclaration> = R['response'] extends z.$ZodType
  ? z.input<R['response']>
  : undefined;

/**
 * What a route's handler may return: its response body (typed by the
 * route's `response` schema, so returning anything else fails the type check),
 * the same in a {@link Reply}, or, on a route without a response schema,
 * nothing (204) or a non-JSON {@link Reply} with its content type.
 */
export type RouteResult<R extends RouteDeclaration> = R['response'] extends z.$ZodType
  ? ResponseBody<R> | Reply<ResponseBody<R>>
  : // biome-ignore lint/suspicious/noConfusingVoidType: domain functions that answer nothing return Promise<void>
    void | Reply<string | undefined>;

/** One function per route of a table: return the response body, a {@link Reply}, or nothing for 204. */
export type RouteHandlers<T extends RouteTable> = {
  [K in keyof T]: (request: ValidRequest<T[K]>) => Promise<RouteResult<T[K]>>;
};
