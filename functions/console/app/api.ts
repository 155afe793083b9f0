/// <reference lib="dom" />
/**
 * Calls to the API this console is served by, with relative URLs: the page
 * is `<api base>/console`, so `tasks` is `<api base>/tasks`, locally and on
 * AWS alike. Every failure becomes an {@link ApiError}: an answer that is not
 * the API's JSON (a proxy's HTML 502) and no answer at all (the network) too,
 * so pages can say what happened in words (see `problems.ts`).
 */
import type { SessionKeeper } from './session.js';

/** One offending field, as the API names it (`body.email`, `query.lat`). */
export interface FieldIssue {
  field: string;
  message: string;
}

/**
 * What went wrong: `answer`, the API answered with its JSON error;
 * `gateway`, something answered that is not the API's JSON (an HTML page
 * from a proxy); `network`, nothing answered (offline, connection dropped);
 * `session`, the session ended and could not be renewed.
 */
export type FailureKind = 'answer' | 'gateway' | 'network' | 'session';

/** A failed call: its status (0 when nothing answered), the API's message, field issues and request id. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly fields: FieldIssue[] = [],
    readonly requestId: string | undefined = undefined,
    readonly kind: FailureKind = 'answer',
    /** Seconds to wait before trying again, from a 429's `Retry-After`. */
    readonly retryAfter: number | undefined = undefined,
    /** The request's trace (W3C trace id) when the API named it. */
    readonly traceId: string | undefined = undefined,
  ) {
    super(message);
  }

  /** The message for a form field (`email` matches `body.email`), if any. */
  fieldMessage(name: string): string | undefined {
    return this.fields.find((f) => f.field === name || f.field.endsWith(`.${name}`))?.message;
  }
}

/** The API base URL: where the console page sits, minus `console`. */
export const apiBase = (): URL => new URL(location.pathname.replace(/\/console\/?$/, '/'), location.origin);

export interface Api {
  get<T>(path: string): Promise<T>;
  /**
   * One user action that changes something, sent with its `Idempotency-Key`:
   * give the key made when the person acted (see `actions.ts`) so that
   * trying the action again sends the same one; a fresh key otherwise.
   */
  send<T>(method: string, path: string, body?: unknown, key?: string): Promise<T>;
}

/**
 * A fresh `Idempotency-Key` (a random UUID) for one user action: the API
 * acts on it once, however often it arrives (a retry, a second click that got
 * through), and answers repeats with the first answer. `crypto.randomUUID`
 * needs a secure context, so the same is built from `getRandomValues` otherwise.
 */
export function newIdempotencyKey(): string {
  if (typeof crypto.randomUUID === 'function') return crypto.randomUUID();
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  bytes[6] = ((bytes[6] ?? 0) & 0x0f) | 0x40;
  bytes[8] = ((bytes[8] ?? 0) & 0x3f) | 0x80;
  const hex = [...bytes].map((b) => b.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** The API's error body, as far as the console reads it. */
interface ErrorBody {
  message?: unknown;
  fields?: unknown;
  requestId?: unknown;
  traceId?: unknown;
}

/** API Gateway's own request id header, for answers whose body carries none. */
const REQUEST_ID_HEADERS = ['x-amzn-requestid', 'x-amz-apigw-id', 'x-request-id'];

/**
 * Reads an answer: its JSON on success, an {@link ApiError} otherwise. A body
 * that is not JSON (an HTML error page) is a `gateway` failure, never a
 * parse error shown to the person.
 */
export async function readAnswer<T>(response: Response): Promise<T> {
  const text = await response.text();
  let parsed: unknown;
  let json = true;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {
    json = false;
  }
  const headerId = REQUEST_ID_HEADERS.map((name) => response.headers.get(name)).find(Boolean) ?? undefined;
  if (response.ok && json) return parsed as T;
  if (!json || typeof parsed !== 'object' || parsed === null) {
    throw new ApiError(
      response.status,
      `the answer was not the API's (${response.status} ${response.statusText || 'with no JSON'})`,
      [],
      headerId,
      'gateway',
    );
  }
  const body = parsed as ErrorBody;
  const retryAfter = Number(response.headers.get('retry-after') ?? Number.NaN);
  throw new ApiError(
    response.status,
    typeof body.message === 'string' ? body.message : `the API answered ${response.status}`,
    Array.isArray(body.fields) ? (body.fields as FieldIssue[]) : [],
    typeof body.requestId === 'string' ? body.requestId : headerId,
    'answer',
    Number.isFinite(retryAfter) ? retryAfter : undefined,
    typeof body.traceId === 'string' ? body.traceId : undefined,
  );
}

/** `fetch`, with no answer at all (offline, a dropped connection) as a `network` {@link ApiError}. */
async function request(url: URL, init: RequestInit): Promise<Response> {
  try {
    return await fetch(url, init);
  } catch (error) {
    throw new ApiError(0, error instanceof Error ? error.message : String(error), [], undefined, 'network');
  }
}

/**
 * A client that sends the session's access token (refreshed first if due) and
 * retries once after a 401, with the same `Idempotency-Key` on a change. A
 * 401 that a refresh cannot cure is a `session` failure (the keeper has
 * signed out by then, and says the session ended).
 */
export function createApi(keeper: SessionKeeper): Api {
  async function call<T>(
    method: string,
    path: string,
    body: unknown,
    key: string | undefined,
    retried = false,
  ): Promise<T> {
    const token = await keeper.accessToken();
    const headers: Record<string, string> = {};
    if (token) headers.authorization = `Bearer ${token}`;
    if (key) headers['idempotency-key'] = key;
    if (body !== undefined) headers['content-type'] = 'application/json';
    const response = await request(new URL(path, apiBase()), {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (response.status === 401 && token && !retried) {
      if (await keeper.refreshNow()) return call(method, path, body, key, true);
      throw new ApiError(401, 'your session has ended', [], undefined, 'session');
    }
    try {
      return await readAnswer<T>(response);
    } catch (error) {
      // Admins are told the request's trace, which the message links to their Trace page (see Notice).
      if (error instanceof ApiError && error.traceId && keeper.current?.role === 'admin')
        error.message = `${error.message} (trace ${error.traceId})`;
      throw error;
    }
  }
  return {
    get: (path) => call('GET', path, undefined, undefined),
    send: (method, path, body, key) => call(method, path, body, key ?? newIdempotencyKey()),
  };
}

/**
 * Calls that need no access token (sign up, log in; refresh and log out, which
 * send the refresh cookie), each with a fresh `Idempotency-Key` (the routes
 * that hand out tokens ignore it).
 */
export async function publicPost<T>(path: string, body?: unknown): Promise<T> {
  const headers: Record<string, string> = { 'idempotency-key': newIdempotencyKey() };
  if (body !== undefined) headers['content-type'] = 'application/json';
  const response = await request(new URL(path, apiBase()), {
    method: 'POST',
    // Same origin: the browser stores the refresh cookie from login and sends it to refresh and logout.
    credentials: 'same-origin',
    headers,
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return readAnswer<T>(response);
}
