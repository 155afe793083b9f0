import type { CallerIdentifier } from '../http/route.js';
import { callerVerifier } from './roles.js';
import { userPoolFromEnv } from './user-pool.js';

/**
 * Verifies the bearer tokens of `optional` routes as the REST authorizer does
 * (the token against the pool's JWKS, the role from the pool's admin group),
 * from the environment at cold start: for `httpHandler(routes, handlers, { identify })`.
 * Its function declares `userPool: ['AdminListGroupsForUser']`.
 */
export function callersFromEnv(): CallerIdentifier {
  const pool = userPoolFromEnv();
  return callerVerifier(pool.tokens.userIdOf, pool.directory);
}
