import type { z } from 'zod';
import type { Caller } from '../caller.js';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/**
 * Who may call a route: `none` anyone; `user` any signed-in person (a verified
 * access token); `admin` a signed-in member of the `admin` group. Every route
 * declares one; the authorization table in test/unit checks each choice.
 */
export type AuthMode = 'none' | 'user' | 'admin';

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
  query?: z.ZodType;
  params?: z.ZodType;
  body?: z.ZodType;
  /** Largest accepted body in bytes (413 above it); defaults to {@link DEFAULT_MAX_BODY_BYTES}. */
  maxBodyBytes?: number;
  /** Status of a successful response; defaults to 200. */
  status?: number;
  /** Schema of a successful response body, for the API document. */
  response?: z.ZodType;
  /** Error statuses this route can answer with, for the API document. */
  errors?: readonly number[];
}

export type RouteTable = Readonly<Record<string, RouteDeclaration>>;

export const DEFAULT_MAX_BODY_BYTES = 16 * 1024;

/** Declares a service's route table, keeping the literal types of every schema. */
export function defineRoutes<const T extends RouteTable>(routes: T): T {
  return routes;
}

type Parsed<S> = S extends z.ZodType ? z.output<S> : undefined;

/** Under which request id a call runs; filled in by the middleware. */
export interface RequestContext {
  /** API Gateway request id, carried into logs and log-feed messages. */
  requestId: string;
}

/** On `user` and `admin` routes: who is calling, as verified by the token authorizer and nothing else. */
export interface UserContext extends RequestContext, Caller {}

/** A request after validation: every part already typed by its schema. */
export interface ValidRequest<R extends RouteDeclaration> {
  query: Parsed<R['query']>;
  params: Parsed<R['params']>;
  body: Parsed<R['body']>;
  context: R['auth'] extends 'none' ? RequestContext : UserContext;
}

/**
 * A response whose status differs from the route's declared one (e.g. upsert:
 * 200 or 201), or whose body is not JSON (give a string and its content type).
 */
export class Reply {
  constructor(
    readonly status: number,
    readonly body?: unknown,
    readonly contentType?: string,
  ) {}
}

/** One function per route of a table: return the response body, a {@link Reply}, or nothing for 204. */
export type RouteHandlers<T extends RouteTable> = {
  [K in keyof T]: (request: ValidRequest<T[K]>) => Promise<unknown>;
};
