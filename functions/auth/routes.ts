import * as z from 'zod/mini';
import { displayName, emailAddress, newPassword } from '../shared/http/fields.js';
import { defineRoutes } from '../shared/http/route.js';
import { expected } from '../shared/http/validate.js';

const credentials = z.strictObject({
  email: emailAddress(),
  password: z
    .string({ error: expected('must be a string') })
    .check(z.minLength(1, 'must not be empty'), z.maxLength(256, 'must be at most 256 characters')),
});

/** What a refresh answers; login answers the same plus the refresh token. */
const refreshedTokens = z.object({
  accessToken: z.string(),
  idToken: z.string(),
  expiresIn: z.number(),
  tokenType: z.literal('Bearer'),
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
    path: '/auth/login',
    summary:
      'Exchanges email and password for tokens; send the access token as `Authorization: Bearer <token>`',
    auth: 'none',
    body: credentials,
    response: z.extend(refreshedTokens, { refreshToken: z.string() }),
    errors: [400, 401, 413],
  },
  refresh: {
    method: 'POST',
    path: '/auth/refresh',
    summary: 'Exchanges the refresh token from login for a new access token and ID token',
    auth: 'none',
    body: z.strictObject({
      refreshToken: z
        .string({ error: expected('must be a string') })
        .check(z.minLength(1, 'must not be empty'), z.maxLength(8192, 'must be at most 8192 characters')),
    }),
    response: refreshedTokens,
    errors: [400, 401, 413],
  },
});
