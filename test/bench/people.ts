import { randomUUID } from 'node:crypto';
import {
  AdminAddUserToGroupCommand,
  CognitoIdentityProviderClient,
} from '@aws-sdk/client-cognito-identity-provider';
import type { Deployment } from '../../lib/stack-outputs.js';

const PASSWORD = 'Bench-passw0rd!';

/** POSTs JSON to the API, as `token`'s owner when given. */
export async function post(url: string, body: unknown, token?: string) {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

/** Signs a person up through the API (an admin, if asked) and returns their id, access token and credentials. */
export async function benchPerson(deployment: Deployment, { admin = false } = {}) {
  const email = `bench-${randomUUID().slice(0, 8)}@example.com`;
  const signup = await post(`${deployment.apiBaseUrl}auth/signup`, { email, password: PASSWORD });
  if (signup.status !== 201) throw new Error(`bench signup failed: ${JSON.stringify(signup.body)}`);
  if (admin) {
    await new CognitoIdentityProviderClient({}).send(
      new AdminAddUserToGroupCommand({
        UserPoolId: deployment.outputs.userPoolId,
        Username: email,
        GroupName: 'admin',
      }),
    );
  }
  const login = await post(`${deployment.apiBaseUrl}auth/login`, { email, password: PASSWORD });
  return { id: String(signup.body.userId), token: String(login.body.accessToken), email, password: PASSWORD };
}
