import { CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import type { Deployment } from '../../lib/stack-outputs.js';
import { stackResources } from '../../lib/stack-outputs.js';
import { type Person, signUpThroughApi } from '../support/people.js';

/** POSTs JSON to the API, as `token`'s owner when given. */
export async function post(url: string, body: unknown, token?: string) {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
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
