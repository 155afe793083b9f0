import * as z from 'zod/mini';
import { displayName, emailAddress, newPassword } from '../shared/http/fields.js';
import { defineRoutes } from '../shared/http/route.js';
import { expected } from '../shared/http/validate.js';
import { REFRESH_COOKIE } from './refresh-cookie.js';

const credentials = z.strictObject({
  email: emailAddress(),
  password: z
    .string({ error: expected('must be a string') })
    .check(z.minLength(1, 'must not be empty'), z.maxLength(256, 'must be at most 256 characters')),
});

/** What login and refresh answer; the refresh token itself travels only in its cookie. */
const refreshedTokens = z.object({
  accessToken: z.string(),
  idToken: z.string(),
  expiresIn: z.number(),
  tokenType: z.literal('Bearer'),
});

const refreshCookieDescription =
  'the refresh token (30 days; `HttpOnly; Secure; SameSite=Strict`, path: the auth routes)';

/** The cookie login sets; refresh and logout read it. */
const sessionCookie = z.object({
  [REFRESH_COOKIE]: z.optional(
    z
      .string({ error: expected('must be a string') })
      .check(z.maxLength(8192, 'must be at most 8192 characters')),
  ),
});

export const authRoutes = defineRoutes({
  signup: {
    method: 'POST',
    path: '/auth/signup',
    summary:
      'Creates a person: their account and their profile, with the same id (`sub` of their tokens); the password must meet the pool policy (8+ characters, upper, lower, digit, symbol; see its schema); `name` defaults to the part of the email before `@`',
    auth: 'none',
    body: z.extend(credentials, { password: newPassword(), name: z.optional(displayName) }),
    status: 201,
    response: z.object({ userId: z.string(), email: z.string(), name: z.string() }),
    errors: [400, 409, 413, 504],
  },
  login: {
    method: 'POST',
    // Its answers carry tokens or set the session cookie, which are never stored: no Idempotency-Key.
    idempotencyKey: false,
    path: '/auth/login',
    summary:
      'Exchanges email and password for tokens; send the access token as `Authorization: Bearer <token>`. The refresh token is set as an HttpOnly cookie for the refresh and logout routes. After 5 failed logins for one email within 15 minutes, its attempts are refused (429 with `Retry-After`) for 30 s, doubling with each further failure up to 15 minutes; a successful login resets this',
    auth: 'none',
    body: credentials,
    response: refreshedTokens,
    setsCookies: { [REFRESH_COOKIE]: refreshCookieDescription },
    errors: [400, 401, 413, 429],
  },
  refresh: {
    method: 'POST',
    // Its answers carry tokens or the session cookie, never stored; and a repeat does no harm.
    idempotencyKey: false,
    path: '/auth/refresh',
    summary:
      'Exchanges the refresh token (the cookie login set) for a new access token and ID token; 401 without it, or when it is invalid, expired or revoked',
    auth: 'none',
    cookies: sessionCookie,
    response: refreshedTokens,
    errors: [401],
  },
  logout: {
    method: 'POST',
    // Its answers carry tokens or the session cookie, never stored; and a repeat does no harm.
    idempotencyKey: false,
    path: '/auth/logout',
    summary:
      'Ends the session: revokes the refresh token (the cookie login set; its access tokens keep working until they expire) and clears the cookie',
    auth: 'none',
    cookies: sessionCookie,
    status: 204,
    setsCookies: { [REFRESH_COOKIE]: 'cleared (`Max-Age=0`)' },
  },
});
