import { randomUUID } from 'node:crypto';
import {
  AdminGetUserCommand,
  CognitoIdentityProviderClient,
  DescribeUserPoolClientCommand,
  SignUpCommand,
  UserNotFoundException,
} from '@aws-sdk/client-cognito-identity-provider';
import { ListFunctionsCommand } from '@aws-sdk/client-lambda';
import { beforeAll, describe, expect, it } from 'vitest';
import { documentedRoutes } from '../support/template-routes.js';
import { bookOnce, call, PASSWORD, type Person, retryTimedOut, signUp, signUpAdmin } from './people.js';
import { api, clientConfig, lambda, outputs, resources, runScript, waitFor } from './support.js';

type Caller = 'anonymous' | 'owner' | 'other' | 'admin';
/** Callers in the order each row calls: the owner last, so a refused stranger cannot spoil the owner's row. */
const CALLERS: Caller[] = ['anonymous', 'other', 'admin', 'owner'];
const SOME_ULID = '01ARZ3NDEKTSV4RRFFQ69G5FAV';

let owner: Person;
let other: Person;
let admin: Person;
let movieId: string;
let showtimeId: string;
let taskId: string;
let doomedTaskId: string;
let bookingId: string;
let cancelledBookingId: string;

const newMovie = async () => {
  const response = await call('POST', 'movies', {
    as: admin,
    body: {
      title: `Rules ${randomUUID().slice(0, 6)}`,
      rating: 7,
      showtimes: [{ startsAt: '2036-12-31T20:00:00Z', seats: 50 }],
    },
  });
  expect(response.status).toBe(201);
  return response.body as { id: string; showtimes: Array<{ id: string }> };
};
/** Books a seat: setup, not what this file checks. */
const book = async (person: Person) => {
  const response = await bookOnce(person, movieId, showtimeId);
  expect(response.status).toBe(201);
  return response.body.id as string;
};
const addTask = async (person: Person, name: string) => {
  const response = await call('POST', 'tasks', { as: person, body: { name } });
  expect(response.status).toBe(201);
  return response.body.id as string;
};

beforeAll(async () => {
  [owner, other, admin] = await Promise.all([signUp('owner', 'Olive Owner'), signUp('other'), signUpAdmin()]);
  const movie = await newMovie();
  movieId = movie.id;
  showtimeId = movie.showtimes[0]?.id ?? '';
  [bookingId, cancelledBookingId, taskId, doomedTaskId] = await Promise.all([
    book(owner),
    book(owner),
    addTask(owner, 'mine'),
    addTask(owner, 'doomed'),
  ]);
});

interface Row {
  /** The documented route, e.g. `GET /tasks/{id}`. */
  route: string;
  path: () => string;
  body?: (() => unknown) | undefined;
  expected: Record<Caller, number>;
}
const row = (route: string, path: () => string, expected: number[], body?: () => unknown): Row => {
  const [anonymous, other, admin, owner] = expected as [number, number, number, number];
  return { route, path, body, expected: { anonymous, other, admin, owner } };
};
const all = (status: number) => [status, status, status, status];

/**
 * Every route, as the rules of the identity issue say: statuses for no token,
 * another user's token, an admin's token, and the owner's token (in that order).
 * Creating rows use valid bodies; rows on someone's resource use the owner's.
 */
const RULES: Row[] = [
  row('GET /downcase', () => 'downcase?param=ABC', all(200)),
  row('GET /search', () => 'search?query=nothing-here', all(200)),
  row('GET /search/monitor', () => 'search/monitor', all(200)),
  row('GET /search/health', () => 'search/health', all(200)),
  row(
    'POST /things',
    () => 'things',
    [401, 403, 201, 403],
    () => ({
      name: `rules-${randomUUID().slice(0, 6)}`,
      geometry: {
        type: 'Polygon',
        coordinates: [
          [
            [60, 60],
            [61, 60],
            [61, 61],
            [60, 60],
          ],
        ],
      },
    }),
  ),
  row('DELETE /things/{id}', () => `things/${SOME_ULID}`, [401, 403, 404, 403]),
  row(
    'POST /auth/signup',
    () => 'auth/signup',
    all(400),
    () => ({ email: 'not-an-email', password: PASSWORD }),
  ),
  row(
    'POST /auth/login',
    () => 'auth/login',
    all(400),
    () => ({ email: 'not-an-email', password: PASSWORD }),
  ),
  // Without the refresh cookie: nothing to refresh (401), nothing to revoke (204).
  row('POST /auth/refresh', () => 'auth/refresh', all(401)),
  row('POST /auth/logout', () => 'auth/logout', all(204)),
  row('GET /things/{id}/geometry', () => `things/${SOME_ULID}/geometry`, all(404)),
  row('GET /console', () => 'console', all(200)),
  row('GET /console/{asset}', () => 'console/app.js', all(200)),
  row('GET /tasks/health', () => 'tasks/health', all(200)),
  // Everyone sees each service's state (admins its checks too, asserted in health.test.ts).
  row('GET /health', () => 'health', all(200)),
  // Operator data: admins only.
  row('GET /status', () => 'status?since=5m', [401, 403, 200, 403]),
  row('GET /things', () => 'things', [401, 403, 200, 403]),
  // An id no log line names (SOME_ULID is named by other rows' requests): the admin is let in and told so.
  row('GET /traces/{id}', () => `traces/nothing-${randomUUID()}?since=5m`, [401, 403, 404, 403]),
  row('GET /tasks', () => 'tasks', [401, 200, 200, 200]),
  row(
    'POST /tasks',
    () => 'tasks',
    [401, 201, 201, 201],
    () => ({ name: 'a task' }),
  ),
  row('GET /tasks/{id}', () => `tasks/${taskId}`, [401, 404, 404, 200]),
  row(
    'PATCH /tasks/{id}',
    () => `tasks/${taskId}`,
    [401, 404, 404, 200],
    () => ({ done: true }),
  ),
  // Task ids are per person: another's PUT makes their own task with that id and leaves the owner's alone.
  row(
    'PUT /tasks/{id}',
    () => `tasks/${taskId}`,
    [401, 201, 201, 200],
    () => ({ name: 'renamed', done: true }),
  ),
  row('DELETE /tasks/{id}', () => `tasks/${doomedTaskId}`, [401, 404, 404, 204]),
  row('GET /users/me', () => 'users/me', [401, 200, 200, 200]),
  row(
    'PUT /users/me',
    () => 'users/me',
    [401, 200, 200, 200],
    () => ({ name: 'Renamed' }),
  ),
  row('GET /users', () => 'users', [401, 403, 200, 403]),
  row('GET /users/{id}', () => `users/${owner.id}`, [401, 403, 200, 403]),
  // Nobody's id: the admin's answer would otherwise delete a shared person (deletion.test.ts deletes people).
  row('DELETE /users/{id}', () => `users/${randomUUID()}`, [401, 403, 404, 403]),
  row('GET /users/{id}/bookings', () => `users/${owner.id}/bookings`, [401, 403, 200, 403]),
  row('GET /movies', () => 'movies', all(200)),
  row('GET /movies/{id}', () => `movies/${movieId}`, all(200)),
  row(
    'POST /movies',
    () => 'movies',
    [401, 403, 201, 403],
    () => ({ title: 'Heat', rating: 8, showtimes: [] }),
  ),
  row(
    'PUT /movies/{id}',
    () => `movies/${movieId}`,
    [401, 403, 200, 403],
    () => ({ title: 'Renamed', rating: 7 }),
  ),
  row('DELETE /movies/{id}', () => `movies/${SOME_ULID}`, [401, 403, 404, 403]),
  row(
    'POST /movies/{id}/showtimes',
    () => `movies/${movieId}/showtimes`,
    [401, 403, 200, 403],
    () => ({ showtimes: [{ startsAt: '2037-01-02T20:00:00Z', seats: 10 }] }),
  ),
  row(
    'DELETE /movies/{id}/showtimes/{showtimeId}',
    () => `movies/${SOME_ULID}/showtimes/${SOME_ULID}`,
    [401, 403, 404, 403],
  ),
  row(
    'POST /bookings',
    () => 'bookings',
    [401, 201, 201, 201],
    () => ({ movieId, showtimeId, seats: 1 }),
  ),
  row('GET /bookings', () => 'bookings', [401, 200, 200, 200]),
  row('GET /bookings/all', () => 'bookings/all', [401, 403, 200, 403]),
  row('GET /bookings/{id}', () => `bookings/${bookingId}`, [401, 404, 200, 200]),
  // The admin cancels it; the owner's own cancel afterwards finds it cancelled, which is done already.
  row('DELETE /bookings/{id}', () => `bookings/${cancelledBookingId}`, [401, 404, 204, 204]),
  row('GET /openapi.json', () => 'openapi.json', all(200)),
  row('GET /docs', () => 'docs', all(200)),
  row('GET /docs/{asset}', () => 'docs/swagger-ui.css', all(200)),
];

describe('who may call what', () => {
  const people = (): Record<Caller, Person | undefined> => ({ anonymous: undefined, owner, other, admin });

  it('covers every documented route', async () => {
    const documented = documentedRoutes((await call('GET', 'openapi.json')).body);
    // DELETE /users/me has its own test below: it must not delete the shared people.
    const covered = new Set([...RULES.map((r) => r.route), 'DELETE /users/me']);
    expect([...covered].sort()).toEqual(documented.sort());
  });

  it.each(RULES.map((r) => [r.route, r] as const))('%s', async (_route, rule) => {
    const method = rule.route.split(' ')[0] as string;
    const got: Partial<Record<Caller, number>> = {};
    for (const caller of CALLERS) {
      // A request that timed out on a loaded machine (an RPC past its deadline) kept nothing: it is sent again.
      const response = await retryTimedOut(() =>
        call(method, rule.path(), { as: people()[caller], body: rule.body?.() }),
      );
      got[caller] = response.status;
    }
    expect(got).toEqual(rule.expected);
  });

  it('DELETE /users/me: 401 without a token, 202 for users and admins, bookings held or not', async () => {
    const [leaver, booker, leavingAdmin] = await Promise.all([
      signUp('leaver'),
      signUp('booker'),
      signUpAdmin('leaving-admin'),
    ]);
    await book(booker);
    expect((await call('DELETE', 'users/me')).status).toBe(401);
    for (const person of [leaver, booker, leavingAdmin])
      expect(await call('DELETE', 'users/me', { as: person })).toMatchObject({
        status: 202,
        body: { id: person.id, status: 'deleting' },
      });
  });
});

describe('one identity', () => {
  it('gives a person who signs up a profile whose id is their token’s subject', async () => {
    const person = await signUp('newcomer');
    const sub = JSON.parse(Buffer.from(person.accessToken.split('.')[1] ?? '', 'base64url').toString()).sub;
    expect(person.id).toBe(sub);
    expect(person.name).toBe(person.email.split('@')[0]);
    const me = await call('GET', 'users/me', { as: person });
    expect(me.body).toEqual({
      id: sub,
      name: person.name,
      email: person.email,
      createdOn: expect.any(String),
    });
  });

  it('refuses a name with a right-to-left override (U+202E), at signup and on rename, naming the field', async () => {
    const spoof = 'Ad\u202enimda';
    const email = `spoof-${randomUUID()}@example.com`;
    const signup = await call('POST', 'auth/signup', { body: { email, password: PASSWORD, name: spoof } });
    expect(signup.status).toBe(400);
    expect(signup.body.fields).toEqual([
      { field: 'body.name', message: 'must not contain control, bidirectional or zero-width characters' },
    ]);
    // Refused before Cognito sees it: the address is still free.
    expect((await call('POST', 'auth/login', { body: { email, password: PASSWORD } })).status).toBe(401);

    const rename = await call('PUT', 'users/me', { as: other, body: { name: spoof } });
    expect(rename.status).toBe(400);
    expect(rename.body.fields).toEqual([
      { field: 'body.name', message: 'must not contain control, bidirectional or zero-width characters' },
    ]);
    expect((await call('GET', 'users/me', { as: other })).body.name).not.toContain('\u202e');
    const accented = await call('PUT', 'users/me', { as: other, body: { name: 'Zoë Ångström 🎬' } });
    expect(accented.status).toBe(200);
    expect(accented.body.name).toBe('Zoë Ångström 🎬');
  });

  it('refuses to book for someone else: a userId in the body is a 400', async () => {
    const response = await call('POST', 'bookings', {
      as: other,
      body: { userId: owner.id, movieId, showtimeId, seats: 1 },
    });
    expect(response.status).toBe(400);
    expect(response.body.fields).toContainEqual({ field: 'body.userId', message: 'is not allowed' });
  });

  it("lists only the caller's own bookings, and shows emails only to their owner and admins", async () => {
    const othersBooking = await book(other);
    const mine = (await call('GET', 'bookings?limit=100', { as: other })).body.items as Array<{
      id: string;
      userId: string;
    }>;
    expect(mine.map((b) => b.id)).toContain(othersBooking);
    expect(mine.map((b) => b.id)).not.toContain(bookingId);
    expect(mine.every((b) => b.userId === other.id)).toBe(true);
    // A booking names its person by id only; the email is on the profile.
    expect(JSON.stringify((await call('GET', `bookings/${bookingId}`, { as: owner })).body)).not.toContain(
      '@',
    );
    expect((await call('GET', 'users/me', { as: owner })).body.email).toBe(owner.email);
    expect((await call('GET', `users/${owner.id}`, { as: admin })).body.email).toBe(owner.email);
    const refused = await call('GET', `users/${owner.id}`, { as: other });
    expect(refused.status).toBe(403);
    expect(JSON.stringify(refused.body)).not.toContain(owner.email);
  });
});

/** Runs `npm run admin` against the test deployment. */
const runAdmin = (action: string, email: string) => runScript('bin/admin.ts', [action, email]);

const usersStatus = async (person: Person) => (await call('GET', 'users?limit=1', { as: person })).status;

// Both wait out the authorizer's 15 s cache of a token's decision, so they wait side by side.
describe.concurrent('changes the authorizer shows once its 15 s cache of a decision expires', () => {
  it('deleting one’s profile deletes the identity: no more login, and the token stops working', async ({
    expect,
  }) => {
    const leaver = await signUp('gone');
    expect((await call('GET', 'users/me', { as: leaver })).status).toBe(200);
    expect((await call('DELETE', 'users/me', { as: leaver })).status).toBe(202);
    const login = await call('POST', 'auth/login', { body: { email: leaver.email, password: PASSWORD } });
    expect(login.status).toBe(401);
    // The authorizer may have cached the token's decision for up to 15 s.
    const refused = await waitFor(
      'the deleted person’s token to be refused',
      async () => {
        const response = await call('GET', 'tasks', { as: leaver });
        return response.status === 401 ? response : undefined;
      },
      { timeoutMs: 30_000, intervalMs: 1000 },
    );
    expect(refused.body.error).toBe('Unauthorized');
  });

  it('npm run admin grants and revokes the admin role', async ({ expect }) => {
    const person = await signUp('promoted');
    expect(await usersStatus(person)).toBe(403);

    const added = await runAdmin('add', person.email.toUpperCase());
    expect(added.status, added.stderr).toBe(0);
    expect(added.stdout).toContain('is now an admin');
    await waitFor(
      'the new admin to be let in',
      async () => ((await usersStatus(person)) === 200 ? true : undefined),
      {
        timeoutMs: 30_000,
        intervalMs: 1000,
      },
    );

    const removed = await runAdmin('remove', person.email);
    expect(removed.status, removed.stderr).toBe(0);
    await waitFor(
      'the revoked admin to be refused',
      async () => ((await usersStatus(person)) === 403 ? true : undefined),
      {
        timeoutMs: 30_000,
        intervalMs: 1000,
      },
    );
  });
});

describe('npm run admin', () => {
  it('says clearly when there is no such person, or the command is wrong', async () => {
    const unknown = await runAdmin('add', `nobody-${randomUUID()}@example.com`);
    expect(unknown.status).toBe(1);
    expect(unknown.stderr).toContain('no user signed up with');
    const wrong = await runAdmin('promote', 'x@y.io');
    expect(wrong.status).toBe(2);
    expect(wrong.stderr).toContain('usage: npm run admin');
  });
});

describe('Cognito only through the API', () => {
  const cognito = new CognitoIdentityProviderClient(clientConfig);
  const ClientId = resources.shared('userPoolClientId');
  const UserPoolId = resources.shared('userPoolId');

  it('refuses a direct Cognito SignUp without the client secret, and creates no account', async () => {
    const email = `direct-${randomUUID().slice(0, 8)}@example.com`;
    const signUp = cognito.send(
      new SignUpCommand({
        ClientId,
        Username: email,
        Password: PASSWORD,
        UserAttributes: [{ Name: 'email', Value: email }],
      }),
    );
    await expect(signUp).rejects.toThrow();
    await expect(
      cognito.send(new AdminGetUserCommand({ UserPoolId, Username: email })),
    ).rejects.toBeInstanceOf(UserNotFoundException);
  });

  it('gives the app client a secret that is in no stack output and no function’s environment', async () => {
    const { UserPoolClient } = await cognito.send(
      new DescribeUserPoolClientCommand({ UserPoolId, ClientId }),
    );
    const secret = UserPoolClient?.ClientSecret ?? '';
    expect(secret).not.toBe('');
    expect(JSON.stringify(outputs)).not.toContain(secret);
    const { Functions = [] } = await lambda.send(new ListFunctionsCommand({}));
    expect(Functions.length).toBeGreaterThan(0);
    expect(JSON.stringify(Functions.map((f) => f.Environment))).not.toContain(secret);
  });
});

/** The refresh cookie a login answered with (its `Set-Cookie`), and the `Cookie` header that sends it back. */
function refreshCookieOf(headers: Headers) {
  const setCookie = headers.getSetCookie().find((c) => c.startsWith('refresh_token='));
  if (!setCookie) throw new Error(`no refresh cookie in ${JSON.stringify(headers.getSetCookie())}`);
  const [pair = '', ...attributes] = setCookie.split(';').map((part) => part.trim());
  return { setCookie, pair, attributes, cookie: { cookie: pair } };
}

describe('the refresh token, in a cookie', () => {
  it('is set by login as HttpOnly, Secure, SameSite=Strict for the auth routes, and never in the body', async () => {
    const person = await signUp('cookie');
    const login = await call('POST', 'auth/login', { body: { email: person.email, password: PASSWORD } });
    expect(login.status).toBe(200);
    expect(login.body).not.toHaveProperty('refreshToken');
    const { pair, attributes } = refreshCookieOf(login.headers);
    expect(pair).toMatch(/^refresh_token=[^:;]+:.+/);
    expect(attributes).toEqual(expect.arrayContaining(['HttpOnly', 'Secure', 'SameSite=Strict']));
    expect(attributes).toContainEqual(expect.stringMatching(/^Max-Age=\d+$/));
    // No Path: the browser scopes it to the directory of /auth/login, the auth routes.
    expect(attributes.some((a) => /^path=/i.test(a))).toBe(false);
  });

  it('refreshes from the cookie alone, giving an access token the API accepts', async () => {
    const person = await signUp('refresher');
    const login = await call('POST', 'auth/login', { body: { email: person.email, password: PASSWORD } });
    const { cookie } = refreshCookieOf(login.headers);
    const refreshed = await api('auth/refresh', { method: 'POST', headers: cookie });
    expect(refreshed.status).toBe(200);
    expect(refreshed.body).toMatchObject({ tokenType: 'Bearer', expiresIn: expect.any(Number) });
    const tasks = await api('tasks', { headers: { authorization: `Bearer ${refreshed.body.accessToken}` } });
    expect(tasks.status).toBe(200);
  });

  it('stops working after log out, which revokes it and clears the cookie', async () => {
    const person = await signUp('leaving');
    const login = await call('POST', 'auth/login', { body: { email: person.email, password: PASSWORD } });
    const { cookie } = refreshCookieOf(login.headers);
    expect((await api('auth/refresh', { method: 'POST', headers: cookie })).status).toBe(200);

    const logout = await api('auth/logout', { method: 'POST', headers: cookie });
    expect(logout.status).toBe(204);
    const cleared = refreshCookieOf(logout.headers);
    expect(cleared.pair).toBe('refresh_token=');
    expect(cleared.attributes).toContain('Max-Age=0');

    const after = await api('auth/refresh', { method: 'POST', headers: cookie });
    expect(after.status).toBe(401);
    expect(after.body.error).toBe('Unauthorized');
  });
});

describe('login throttling per email', () => {
  it('answers the sixth attempt after 5 failed logins with 429 and Retry-After, even with the right password', async () => {
    const person = await signUp('guessed');
    const attempt = (password: string) =>
      call('POST', 'auth/login', { body: { email: person.email, password } });
    for (let i = 0; i < 5; i++) expect((await attempt(`Wr0ng-guess-${i}!`)).status).toBe(401);

    const sixth = await attempt(PASSWORD);
    expect(sixth.status).toBe(429);
    expect(sixth.body.error).toBe('TooManyRequests');
    const retryAfter = Number(sixth.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(30);

    // Another email is not affected.
    const other = await signUp('unaffected');
    expect(
      (await call('POST', 'auth/login', { body: { email: other.email, password: PASSWORD } })).status,
    ).toBe(200);
  });

  it('counts attempts sent at once: of 20 simultaneous wrong guesses, at most 5 are checked', async () => {
    const person = await signUp('burst');
    const statuses = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        call('POST', 'auth/login', { body: { email: person.email, password: `Wr0ng-burst-${i}!` } }).then(
          (r) => r.status,
        ),
      ),
    );
    expect(statuses.filter((s) => s === 401).length).toBeLessThanOrEqual(5);
    expect(statuses.filter((s) => s === 429).length).toBeGreaterThanOrEqual(15);
  });
});
