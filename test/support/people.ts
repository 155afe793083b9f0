import { randomUUID } from 'node:crypto';
import {
  AdminAddUserToGroupCommand,
  type CognitoIdentityProviderClient,
} from '@aws-sdk/client-cognito-identity-provider';

/** A person signed up and logged in through the API. */
export interface Person {
  id: string;
  email: string;
  name: string;
  accessToken: string;
  idToken: string;
}

/** Every test person's password: it meets the user pool's policy. */
export const PASSWORD = 'Corr3ct-horse!';

/** Where people sign up: the API, and the user pool behind it (to grant the admin role). */
export interface SignUpDesk {
  apiBaseUrl: string;
  userPoolId: string;
  cognito: CognitoIdentityProviderClient;
}

async function postJson(url: URL, body: unknown) {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
    signal: AbortSignal.timeout(60_000),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

/** How many times a signup that timed out is tried, each time with a new address. */
const SIGNUP_ATTEMPTS = 3;

/**
 * Signs a new person up through the API (with `name`, if given) and logs them
 * in. An admin is added to the admin group the way `npm run admin -- add`
 * does, before logging in: the authorizer caches a token's role for 15 s.
 *
 * A person is the setup of a test, not what it checks (test/e2e/identity.test.ts
 * checks signup): a signup answered 504 (the profile's RPC missed its deadline on
 * a loaded machine) is tried again with a new address, up to 3 times.
 */
export async function signUpThroughApi(
  desk: SignUpDesk,
  { label, name, admin = false }: { label: string; name?: string | undefined; admin?: boolean },
): Promise<Person> {
  let email: string;
  let signup: Awaited<ReturnType<typeof postJson>>;
  let attempts = 0;
  do {
    attempts += 1;
    email = `${label.toLowerCase()}-${randomUUID().slice(0, 8)}@example.com`;
    signup = await postJson(new URL('auth/signup', desk.apiBaseUrl), { email, password: PASSWORD, name });
  } while (signup.status === 504 && attempts < SIGNUP_ATTEMPTS);
  if (signup.status !== 201)
    throw new Error(`signup answered ${signup.status}: ${JSON.stringify(signup.body)}`);
  if (admin) {
    await desk.cognito.send(
      new AdminAddUserToGroupCommand({ UserPoolId: desk.userPoolId, Username: email, GroupName: 'admin' }),
    );
  }
  const login = await postJson(new URL('auth/login', desk.apiBaseUrl), { email, password: PASSWORD });
  if (login.status !== 200 || login.body.tokenType !== 'Bearer')
    throw new Error(`login answered ${login.status}: ${JSON.stringify(login.body)}`);
  return {
    id: String(signup.body.userId),
    email,
    name: String(signup.body.name),
    accessToken: String(login.body.accessToken),
    idToken: String(login.body.idToken),
  };
}
