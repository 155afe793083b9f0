import type { RefreshSession } from './domain/identity.js';

/** The cookie that carries the refresh token: never readable by scripts, sent only to the auth routes. */
export const REFRESH_COOKIE = 'refresh_token';

/** As long as the app client's refresh tokens live (Cognito's default, 30 days). */
const MAX_AGE_SECONDS = 30 * 24 * 3600;

/**
 * No `Path`: a cookie set by `<base>/auth/login` then defaults to
 * `<base>/auth`, whatever `<base>` is (`/v1` on AWS, the emulator's
 * `/_aws/execute-api/<id>/v1` locally), so the browser sends it to the
 * refresh and logout routes only, never to the rest of the API. HttpOnly keeps
 * it from scripts; SameSite=Strict from other sites' requests; Secure off
 * https (browsers treat http://localhost as secure).
 */
const ATTRIBUTES = 'HttpOnly; Secure; SameSite=Strict';

/** The `Set-Cookie` value that hands a session's refresh token to the browser. */
export function refreshCookie({ userId, refreshToken }: RefreshSession): string {
  // The user id rides along: a refresh's secret hash names the user, and Cognito's refresh tokens are opaque.
  return `${REFRESH_COOKIE}=${userId}:${refreshToken}; Max-Age=${MAX_AGE_SECONDS}; ${ATTRIBUTES}`;
}

/** The `Set-Cookie` value that removes it (log out). */
export const clearedRefreshCookie = `${REFRESH_COOKIE}=; Max-Age=0; ${ATTRIBUTES}`;

/** The session a cookie value names, or undefined when there is none or it is not one of ours. */
export function sessionOf(value: string | undefined): RefreshSession | undefined {
  const at = value?.indexOf(':') ?? -1;
  if (!value || at <= 0 || at === value.length - 1) return undefined;
  return { userId: value.slice(0, at), refreshToken: value.slice(at + 1) };
}
