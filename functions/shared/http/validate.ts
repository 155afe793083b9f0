// zod/mini's functions take schemas of either API (classic `zod` or `zod/mini`), and weigh ~1/30 of classic's.
import { config, safeParse } from 'zod/mini';
import type { $ZodType } from 'zod/v4/core';
import {
  type FieldIssue,
  PayloadTooLargeError,
  UnsupportedMediaTypeError,
  ValidationError,
} from '../errors.js';
import '../zod-locale.js';
import { DEFAULT_MAX_BODY_BYTES, type RouteDeclaration } from './route.js';

/** The parts of an HTTP request that a route's schemas check, before parsing. */
// A missing field reads "is required" rather than zod's "expected string, received undefined".
config({ customError: (issue) => (issue.input === undefined ? 'is required' : undefined) });

/**
 * A schema's own type message that still says "is required" when the value is
 * absent: `z.string({ error: expected('must be a string') })`.
 */
export function expected(message: string) {
  return (issue: { input?: unknown }) => (issue.input === undefined ? 'is required' : message);
}

export interface RawRequest {
  query: Record<string, string | undefined> | null;
  params: Record<string, string | undefined> | null;
  body: string | null;
  isBase64Encoded: boolean;
  /** Request headers; API Gateway keeps the client's spelling, so names may be in any case. */
  headers?: Record<string, string | undefined> | null;
}

export interface ParsedParts {
  query: unknown;
  params: unknown;
  cookies: unknown;
  body: unknown;
}

/**
 * Checks a raw request against its route's declaration: body size, JSON
 * syntax, then the query, path and body schemas. Collects every issue of every
 * part before throwing, so a client learns about all bad fields at once.
 */
export function validateRequest(route: RouteDeclaration, raw: RawRequest): ParsedParts {
  const issues: FieldIssue[] = [];
  const query = check('query', route.query, raw.query ?? {}, issues);
  const params = check('params', route.params, raw.params ?? {}, issues);
  const cookies = check('cookies', route.cookies, cookiesOf(raw.headers), issues);
  const body = route.body ? check('body', route.body, parseBody(route, raw), issues) : undefined;
  if (issues.length > 0) throw new ValidationError(issues);
  return { query, params, cookies, body };
}

/** `application/json`, with or without parameters (`; charset=utf-8`), in any case. */
const JSON_MEDIA_TYPE = /^application\/json\s*(;|$)/i;

function headerOf(headers: RawRequest['headers'], wanted: string): string | undefined {
  const entry = Object.entries(headers ?? {}).find(([name]) => name.toLowerCase() === wanted);
  return entry?.[1];
}

const contentTypeOf = (headers: RawRequest['headers']) => headerOf(headers, 'content-type');

/**
 * The cookies of a `Cookie` header (`a=1; b=2`), by name, values as sent (not
 * URL-decoded: the ones the API sets are tokens); the first of a repeated name wins.
 */
export function cookiesOf(headers: RawRequest['headers']): Record<string, string> {
  const cookies: Record<string, string> = {};
  for (const pair of (headerOf(headers, 'cookie') ?? '').split(';')) {
    const at = pair.indexOf('=');
    if (at <= 0) continue;
    const name = pair.slice(0, at).trim();
    if (name && !Object.hasOwn(cookies, name)) cookies[name] = pair.slice(at + 1).trim();
  }
  return cookies;
}

function parseBody(route: RouteDeclaration, raw: RawRequest): unknown {
  if (raw.body === null || raw.body === '') return undefined;
  const text = raw.isBase64Encoded ? Buffer.from(raw.body, 'base64').toString('utf8') : raw.body;
  const limit = route.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  if (Buffer.byteLength(text, 'utf8') > limit) throw new PayloadTooLargeError(limit);
  const contentType = contentTypeOf(raw.headers);
  if (contentType === undefined || !JSON_MEDIA_TYPE.test(contentType.trim())) {
    throw new UnsupportedMediaTypeError(
      `the body must be sent as Content-Type: application/json${contentType ? `, not ${contentType}` : ''}`,
    );
  }
  try {
    return JSON.parse(text);
  } catch {
    throw new ValidationError([{ field: 'body', message: 'must be valid JSON' }]);
  }
}

function check(part: string, schema: $ZodType | undefined, value: unknown, issues: FieldIssue[]): unknown {
  if (!schema) return undefined;
  const result = safeParse(schema, value);
  if (result.success) return result.data;
  for (const issue of result.error.issues) {
    const base = [part, ...issue.path.map(String)].join('.');
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) issues.push({ field: `${base}.${key}`, message: 'is not allowed' });
    } else {
      issues.push({ field: base, message: issue.message });
    }
  }
  return undefined;
}
