import { randomUUID } from 'node:crypto';
import {
  AdminAddUserToGroupCommand,
  CognitoIdentityProviderClient,
  CreateGroupCommand,
  GroupExistsException,
} from '@aws-sdk/client-cognito-identity-provider';
import { expect } from 'vitest';
import { api, deployment, outputs } from './support.js';

/** A signed-up, logged-in person of the deployed stack. */
export interface Person {
  email: string;
  password: string;
  userId: string;
  accessToken: string;
  refreshToken: string;
}

export const PASSWORD = 'Corr3ct-horse!';

const cognito = new CognitoIdentityProviderClient({
  endpoint: deployment.endpoint,
  region: 'us-east-1',
  credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
});

export const jsonRequest = (method: string, body: unknown, token?: string): RequestInit => ({
  method,
  headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
  body: JSON.stringify(body),
});

export async function logIn(email: string, password = PASSWORD) {
  const login = await api('auth/login', jsonRequest('POST', { email, password }));
  expect(login.status, JSON.stringify(login.body)).toBe(200);
  return login.body as { accessToken: string; refreshToken: string };
}

/** Signs a new person up through the API and logs them in; admins join the Cognito group `admin` first. */
export async function newPerson(label: string, { admin = false } = {}): Promise<Person> {
  const email = `${label}-${randomUUID().slice(0, 8)}@example.com`;
  const signup = await api('auth/signup', jsonRequest('POST', { email, password: PASSWORD }));
  expect(signup.status, JSON.stringify(signup.body)).toBe(201);
  if (admin) await makeAdmin(email);
  const tokens = await logIn(email);
  return { email, password: PASSWORD, userId: signup.body.userId, ...tokens };
}

/** Adds a person to the pool's `admin` group (creating the group if the stack has none). */
export async function makeAdmin(email: string): Promise<void> {
  const UserPoolId = outputs.userPoolId;
  try {
    await cognito.send(new CreateGroupCommand({ UserPoolId, GroupName: 'admin' }));
  } catch (error) {
    if (!(error instanceof GroupExistsException)) throw error;
  }
  await cognito.send(new AdminAddUserToGroupCommand({ UserPoolId, Username: email, GroupName: 'admin' }));
}
