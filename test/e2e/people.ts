import { randomUUID } from 'node:crypto';
import { CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import { type Person, retryTimedOut, signUpThroughApi } from '../support/people.js';
import { type ApiResponse, api, clientConfig, deployment, resources, waitFor } from './support.js';

export { PASSWORD, type Person, retryTimedOut } from '../support/people.js';

const cognito = new CognitoIdentityProviderClient(clientConfig);

/**
 * Calls the API as `person` (or anonymously), with a JSON body and an Idempotency-Key when given.
 * A read that timed out on a loaded machine is read again (retryTimedOut); other requests are
 * made once, as the tests of timeouts need.
 */
export function call<T = any>(
  method: string,
  path: string,
  options: { body?: unknown; as?: Person | undefined; key?: string } = {},
): Promise<ApiResponse<T>> {
  const once = () => callOnce<T>(method, path, options);
  return method === 'GET' ? retryTimedOut(once) : once();
}

function callOnce<T>(
  method: string,
  path: string,
  { body, as, key }: { body?: unknown; as?: Person | undefined; key?: string },
): Promise<ApiResponse<T>> {
  return api<T>(path, {
    method,
    headers: {
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      ...(as ? { authorization: `Bearer ${as.accessToken}` } : {}),
      ...(key ? { 'idempotency-key': key } : {}),
    },
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
  });
}

const desk = { apiBaseUrl: deployment.apiBaseUrl, userPoolId: resources.shared('userPoolId'), cognito };

/** Signs a new person up (with `name`, if given) and logs them in. */
export const signUp = (label: string, name?: string): Promise<Person> =>
  signUpThroughApi(desk, { label, name });

/** A new admin. */
export const signUpAdmin = (label = 'admin'): Promise<Person> =>
  signUpThroughApi(desk, { label, admin: true });

/** Books `seats` seats as `person`, once, with `key` as its Idempotency-Key when given. */
export const book = (person: Person, movieId: string, showtimeId: string, seats = 1, key?: string) =>
  call('POST', 'bookings', { as: person, body: { movieId, showtimeId, seats }, ...(key ? { key } : {}) });

/**
 * Books `seats` on a showtime as a test's setup, not what it checks: with an Idempotency-Key, sent
 * again with that key while it timed out on a loaded machine (504) or its first attempt still runs
 * (409, IdempotencyKeyInUse), so it books once. Answers the booking's answer, 201 or a refusal.
 */
export function bookOnce(
  person: Person,
  movieId: string,
  showtimeId: string,
  seats = 1,
): Promise<ApiResponse> {
  const key = randomUUID();
  return waitFor(
    'the booking to be answered',
    async () => {
      const answer = await book(person, movieId, showtimeId, seats, key);
      const unanswered = answer.status === 504 || answer.body?.error === 'IdempotencyKeyInUse';
      return unanswered ? undefined : answer;
    },
    { timeoutMs: 60_000, intervalMs: 1_000 },
  );
}
