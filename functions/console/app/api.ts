/// <reference lib="dom" />
/**
 * Calls to the API this console is served by, with relative URLs: the page
 * is `<api base>/console`, so `tasks` is `<api base>/tasks`, locally and on
 * AWS alike.
 */
import type { SessionKeeper } from './session.js';

/** One offending field, as the API names it (`body.email`, `query.lat`). */
export interface FieldIssue {
  field: string;
  message: string;
}

/** An error answer of the API, carrying its field issues. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly fields: FieldIssue[] = [],
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
  send<T>(method: string, path: string, body?: unknown): Promise<T>;
}

/** A client that sends the session's access token (refreshed first if due) and retries once after a 401. */
export function createApi(keeper: SessionKeeper): Api {
  async function call<T>(method: string, path: string, body: unknown, retried = false): Promise<T> {
    const token = await keeper.accessToken();
    const headers: Record<string, string> = {};
    if (token) headers.authorization = `Bearer ${token}`;
    if (body !== undefined) headers['content-type'] = 'application/json';
    const response = await fetch(new URL(path, apiBase()), {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (response.status === 401 && token && !retried) {
      if (await keeper.refreshNow()) return call(method, path, body, true);
    }
    const text = await response.text();
    const parsed: unknown = text ? JSON.parse(text) : undefined;
    if (!response.ok) {
      const error = (parsed ?? {}) as { message?: string; fields?: FieldIssue[] };
      throw new ApiError(
        response.status,
        error.message ?? `the API answered ${response.status}`,
        error.fields,
      );
    }
    return parsed as T;
  }
  return {
    get: (path) => call('GET', path, undefined),
    send: (method, path, body) => call(method, path, body),
  };
}

/** Calls that need no access token (sign up, log in; refresh and log out, which send the refresh cookie). */
export async function publicPost<T>(path: string, body?: unknown): Promise<T> {
  const response = await fetch(new URL(path, apiBase()), {
    method: 'POST',
    // Same origin: the browser stores the refresh cookie from login and sends it to refresh and logout.
    credentials: 'same-origin',
    ...(body === undefined
      ? {}
      : { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }),
  });
  const text = await response.text();
  const parsed = (text ? JSON.parse(text) : undefined) as { message?: string; fields?: FieldIssue[] };
  if (!response.ok) {
    throw new ApiError(
      response.status,
      parsed?.message ?? `the API answered ${response.status}`,
      parsed?.fields,
    );
  }
  return parsed as T;
}
