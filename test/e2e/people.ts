import { CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import { type Person, signUpThroughApi } from '../support/people.js';
import { type ApiResponse, api, clientConfig, deployment, resources } from './support.js';

export { PASSWORD, type Person, retryTimedOut } from '../support/people.js';

const cognito = new CognitoIdentityProviderClient(clientConfig);

/** Calls the API as `person` (or anonymously), with a JSON body and an Idempotency-Key when given. */
export function call<T = any>(
  method: string,
  path: string,
  { body, as, key }: { body?: unknown; as?: Person | undefined; key?: string } = {},
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
