import { z } from 'zod';
import { defineRoutes } from '../shared/http/route.js';
import { expected } from '../shared/http/validate.js';

const credentials = z.strictObject({
  email: z
    .email({ error: expected('must be a valid email address') })
    .max(254, 'must be at most 254 characters'),
  password: z
    .string({ error: expected('must be a string') })
    .min(1, 'must not be empty')
    .max(256, 'must be at most 256 characters'),
});

/** A person's display name, as signup and the profile routes accept it. */
export const displayName = z
  .string({ error: expected('must be a string') })
  .trim()
  .min(1, 'must not be empty')
  .max(200, 'must be at most 200 characters');

export const authRoutes = defineRoutes({
  signup: {
    method: 'POST',
    path: '/auth/signup',
    summary:
      'Creates a person: their account and their profile, with the same id (`sub` of their tokens); the password must meet the pool policy (8+ characters, upper, lower, digit, symbol); `name` defaults to the part of the email before `@`',
    auth: 'none',
    body: credentials.extend({ name: displayName.optional() }),
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
    response: z.object({
      accessToken: z.string(),
      idToken: z.string(),
      refreshToken: z.string(),
      expiresIn: z.number(),
      tokenType: z.literal('Bearer'),
    }),
    errors: [400, 401, 413],
  },
});
