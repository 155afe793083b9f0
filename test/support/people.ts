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

/** How many times a request that timed out is tried, in all. */
const ATTEMPTS = 3;

/** A request that ran out of time: our 504 (an RPC missed its deadline) or the gateway's 502 (a Lambda timeout). */
export const TIMED_OUT: readonly number[] = [502, 504];

/**
 * Makes a request, and makes it again while it timed out on a loaded machine (answered one of
 * `timedOut`), up to 3 times in all; answers the last answer. Only for requests whose timeout kept
 * nothing, as our 504 promises, or that are safe to repeat (the same Idempotency-Key, a new
 * signup address each time, a read).
 */
export async function retryTimedOut<T extends { status: number }>(
  request: () => Promise<T>,
  timedOut: readonly number[] = TIMED_OUT,
): Promise<T> {
  let answer = await request();
  for (let attempt = 1; attempt < ATTEMPTS && timedOut.includes(answer.status); attempt++)
    answer = await request();
  return answer;
}

/**
 * Signs a new person up through the API (with `name`, if given) and logs them
 * in. An admin is added to the admin group the way `npm run admin -- add`
 * does, before logging in: the authorizer caches a token's role for 15 s.
 *
 * A person is the setup of a test, not what it checks (test/e2e/identity.test.ts
 * checks signup): a signup that timed out on a loaded machine (504: the profile's RPC
 * missed its deadline; 502: the function's own timeout) is tried again with a new
 * address, and a login that timed out again as it was (retryTimedOut).
 */
export async function signUpThroughApi(
  desk: SignUpDesk,
  { label, name, admin = false }: { label: string; name?: string | undefined; admin?: boolean },
): Promise<Person> {
  let email = '';
  const signup = await retryTimedOut(() => {
    email = `${label.toLowerCase()}-${randomUUID().slice(0, 8)}@example.com`;
    return postJson(new URL('auth/signup', desk.apiBaseUrl), { email, password: PASSWORD, name });
  });
  if (signup.status !== 201)
    throw new Error(`signup answered ${signup.status}: ${JSON.stringify(signup.body)}`);
  if (admin) {
    await desk.cognito.send(
      new AdminAddUserToGroupCommand({ UserPoolId: desk.userPoolId, Username: email, GroupName: 'admin' }),
    );
  }
  const login = await retryTimedOut(() =>
    postJson(new URL('auth/login', desk.apiBaseUrl), { email, password: PASSWORD }),
  );
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
