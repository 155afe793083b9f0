import { randomUUID } from 'node:crypto';
import {
  AdminAddUserToGroupCommand,
  CognitoIdentityProviderClient,
} from '@aws-sdk/client-cognito-identity-provider';
import { expect } from 'vitest';
import { type ApiResponse, api, clientConfig, outputs } from './support.js';

/** A person signed up and logged in through the API. */
export interface Person {
  id: string;
  email: string;
  name: string;
  accessToken: string;
  idToken: string;
}

export const PASSWORD = 'Corr3ct-horse!';
export const cognito = new CognitoIdentityProviderClient(clientConfig);

/** Calls the API as `person` (or anonymously), with a JSON body when one is given. */
export function call<T = any>(
  method: string,
  path: string,
  { body, as }: { body?: unknown; as?: Person | undefined } = {},
): Promise<ApiResponse<T>> {
  return api<T>(path, {
    method,
    headers: {
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      ...(as ? { authorization: `Bearer ${as.accessToken}` } : {}),
    },
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
  });
}

/** Signs a new person up (with `name`, if given) and logs them in. */
export async function signUp(label: string, name?: string): Promise<Person> {
  const email = `${label.toLowerCase()}-${randomUUID().slice(0, 8)}@example.com`;
  const signup = await call('POST', 'auth/signup', { body: { email, password: PASSWORD, name } });
  expect(signup.status, JSON.stringify(signup.body)).toBe(201);
  const login = await call('POST', 'auth/login', { body: { email, password: PASSWORD } });
  expect(login.status).toBe(200);
  return {
    id: signup.body.userId,
    email,
    name: signup.body.name,
    accessToken: login.body.accessToken,
    idToken: login.body.idToken,
  };
}

/**
 * Grants the admin role the way `npm run admin -- add` does. Call it before
 * the person's first request: the authorizer caches a token's role for 15 s.
 */
async function makeAdmin(person: Person): Promise<Person> {
  await cognito.send(
    new AdminAddUserToGroupCommand({
      UserPoolId: outputs.userPoolId,
      Username: person.email,
      GroupName: 'admin',
    }),
  );
  return person;
}

/** A new admin. */
export const signUpAdmin = async (label = 'admin') => makeAdmin(await signUp(label));
