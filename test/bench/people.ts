import { CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import type { Deployment } from '../../lib/stack-outputs.js';
import { stackResources } from '../../lib/stack-outputs.js';
import { type Person, signUpThroughApi } from '../support/people.js';

/** POSTs JSON to the API, as `token`'s owner when given, with any other `headers`. */
export async function post(url: string, body: unknown, token?: string, headers: Record<string, string> = {}) {
  const response = await fetch(url, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      ...headers,
    },
    body: JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

/** A new movie titled `title` with one showtime of `seats` seats, added by the admin whose token is `adminToken`. */
export async function newShowtime(deployment: Deployment, adminToken: string, title: string, seats: number) {
  const movie = await post(
    `${deployment.apiBaseUrl}movies`,
    { title, rating: 5, showtimes: [{ startsAt: '2036-12-24T20:00:00Z', seats }] },
    adminToken,
  );
  const showtimeId = (movie.body.showtimes as Array<{ id: string }> | undefined)?.[0]?.id;
  if (movie.status !== 201 || !showtimeId) throw new Error(`POST /movies answered ${movie.status}`);
  return { movieId: String(movie.body.id), showtimeId };
}

/** Signs a person up through the API (an admin, if asked) and logs them in. */
export function benchPerson(deployment: Deployment, { admin = false } = {}): Promise<Person> {
  const desk = {
    apiBaseUrl: deployment.apiBaseUrl,
    userPoolId: stackResources(deployment.outputs).shared('userPoolId'),
    cognito: new CognitoIdentityProviderClient({}),
  };
  return signUpThroughApi(desk, { label: 'bench', admin });
}
