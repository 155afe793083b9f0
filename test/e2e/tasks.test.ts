import { randomUUID } from 'node:crypto';
import type { Message } from '@aws-sdk/client-sqs';
import { beforeAll, describe, expect, it } from 'vitest';
import type { FeedMessage } from '../../functions/shared/log-feed/event.js';
import { rsaKey, signJwt } from '../support/jwt.js';
import { call, PASSWORD, type Person, signUp } from './people.js';
import { type ApiResponse, api, drainQueue, resources, waitFor } from './support.js';

const create = (user: Person, name: string) => call('POST', 'tasks', { body: { name }, as: user });

let alice: Person;
let bob: Person;

beforeAll(async () => {
  [alice, bob] = await Promise.all([signUp('alice'), signUp('bob')]);
});

describe('signup and login', () => {
  it('refuses a second signup with the same email with 409', async () => {
    const again = await call('POST', 'auth/signup', {
      body: { email: alice.email.toUpperCase(), password: PASSWORD },
    });
    expect(again.status).toBe(409);
    expect(again.body.error).toBe('Conflict');
  });

  it('refuses a weak password with 400 naming body.password and the rule', async () => {
    const weak = await call('POST', 'auth/signup', {
      body: { email: `weak-${randomUUID()}@example.com`, password: 'password' },
    });
    expect(weak.status).toBe(400);
    expect(weak.body.fields).toEqual([
      { field: 'body.password', message: 'must contain an uppercase letter (A-Z)' },
      { field: 'body.password', message: 'must contain a digit' },
      { field: 'body.password', message: expect.stringContaining('must contain a symbol') },
    ]);
  });

  it('refuses a malformed email with 400 naming body.email', async () => {
    const bad = await call('POST', 'auth/signup', { body: { email: 'not-an-email', password: PASSWORD } });
    expect(bad.status).toBe(400);
    expect(bad.body.fields).toEqual([{ field: 'body.email', message: 'must be a valid email address' }]);
  });

  it('answers a wrong password and an unknown user with the same 401', async () => {
    const wrong = await call('POST', 'auth/login', {
      body: { email: alice.email, password: 'Wr0ng-password!' },
    });
    const unknown = await call('POST', 'auth/login', {
      body: { email: `nobody-${randomUUID()}@example.com`, password: PASSWORD },
    });
    expect([wrong.status, unknown.status]).toEqual([401, 401]);
    expect(wrong.body.message).toBe(unknown.body.message);
  });
});

describe('tasks CRUD', () => {
  it.each(['alice', 'bob'])('works end to end for %s', async (who) => {
    const user = who === 'alice' ? alice : bob;
    const created = await create(user, `  ${who}'s first task  `);
    expect(created.status).toBe(201);
    expect(created.body).toEqual({
      id: expect.any(String),
      userId: user.id,
      name: `${who}'s first task`,
      createdOn: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
      done: false,
    });
    const id = created.body.id as string;

    expect((await call('GET', `tasks/${id}`, { as: user })).body).toEqual(created.body);

    const patched = await call('PATCH', `tasks/${id}`, { body: { done: true }, as: user });
    expect(patched.status).toBe(200);
    expect(patched.body).toEqual({ ...created.body, done: true });

    const replaced = await call('PUT', `tasks/${id}`, { body: { name: 'renamed' }, as: user });
    expect(replaced.status).toBe(200);
    expect(replaced.body).toEqual({ ...created.body, name: 'renamed', done: false });

    const upserted = await call('PUT', `tasks/own-${who}`, {
      body: { name: 'chosen id', done: true },
      as: user,
    });
    expect(upserted.status).toBe(201);
    expect(upserted.body).toMatchObject({
      id: `own-${who}`,
      userId: user.id,
      name: 'chosen id',
      done: true,
    });

    expect((await call('DELETE', `tasks/${id}`, { as: user })).status).toBe(204);
    expect((await call('GET', `tasks/${id}`, { as: user })).status).toBe(404);
    expect((await call('DELETE', `tasks/${id}`, { as: user })).status).toBe(404);
  });
});

describe('listing', () => {
  it('pages through 25 tasks newest first, each exactly once', async () => {
    const user = await signUp('pager');
    const names = Array.from({ length: 25 }, (_, i) => `task ${String(i).padStart(2, '0')}`);
    for (const name of names) expect((await create(user, name)).status).toBe(201);

    const seen: string[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const page: ApiResponse = await call('GET', `tasks?limit=10${cursor ? `&cursor=${cursor}` : ''}`, {
        as: user,
      });
      expect(page.status).toBe(200);
      seen.push(...page.body.tasks.map((t: { name: string }) => t.name));
      cursor = page.body.cursor;
      pages += 1;
    } while (cursor && pages < 10);
    expect(seen).toEqual([...names].reverse());
  });

  it("never shows another user's tasks", async () => {
    const mine = await create(alice, 'alice only');
    const bobs = await create(bob, 'bob only');
    const list = await call('GET', 'tasks?limit=100', { as: bob });
    const ids = list.body.tasks.map((t: { id: string }) => t.id);
    expect(ids).toContain(bobs.body.id);
    expect(ids).not.toContain(mine.body.id);
    expect(list.body.tasks.every((t: { userId: string }) => t.userId === bob.id)).toBe(true);
  });

  it("refuses another user's cursor", async () => {
    for (let i = 0; i < 2; i++) await create(alice, `for cursor ${i}`);
    const page = await call('GET', 'tasks?limit=1', { as: alice });
    const theirs = await call('GET', `tasks?limit=1&cursor=${page.body.cursor}`, { as: bob });
    expect(theirs.status).toBe(400);
    expect(theirs.body.fields[0].field).toBe('query.cursor');
  });
});

describe("another user's task", () => {
  it('is indistinguishable from a missing one on read, update and delete', async () => {
    const task = (await create(alice, 'secret')).body;
    const missing = await call('GET', `tasks/does-not-exist`, { as: bob });
    const read = await call('GET', `tasks/${task.id}`, { as: bob });
    const update = await call('PATCH', `tasks/${task.id}`, { body: { done: true }, as: bob });
    const remove = await call('DELETE', `tasks/${task.id}`, { as: bob });
    expect([missing.status, read.status, update.status, remove.status]).toEqual([404, 404, 404, 404]);
    expect(read.body.error).toBe(missing.body.error);

    const put = await call('PUT', `tasks/${task.id}`, { body: { name: 'hijack' }, as: bob });
    expect(put.body.userId).toBe(bob.id);
    expect((await call('GET', `tasks/${task.id}`, { as: alice })).body).toEqual(task);
  });

  it('cannot be reached by naming another user in the body or query', async () => {
    const sneaky = await call('POST', 'tasks', { body: { name: 'x', userId: alice.id }, as: bob });
    expect(sneaky.status).toBe(400);
    expect(sneaky.body.fields).toEqual([{ field: 'body.userId', message: 'is not allowed' }]);
    const alices = await create(alice, 'named in a query');
    const bobs = await create(bob, 'listed anyway');
    const listed = await call('GET', `tasks?limit=100&userId=${alice.id}`, { as: bob });
    expect(listed.status).toBe(200);
    const ids = listed.body.tasks.map((t: { id: string }) => t.id);
    expect(ids).toContain(bobs.body.id);
    expect(ids).not.toContain(alices.body.id);
    expect(listed.body.tasks.every((t: { userId: string }) => t.userId === bob.id)).toBe(true);
  });
});

describe('tokens', () => {
  const foreign = rsaKey('foreign');

  it.each([
    ['no token', () => ({})],
    ['a malformed token', () => ({ authorization: 'Bearer not.a.jwt' })],
    ['a non-Bearer scheme', () => ({ authorization: `Basic ${alice.accessToken}` })],
    ['an ID token instead of an access token', () => ({ authorization: `Bearer ${alice.idToken}` })],
    [
      'a foreign-signed token with otherwise valid claims',
      () => {
        const [, payload] = alice.accessToken.split('.');
        const claims = JSON.parse(Buffer.from(payload ?? '', 'base64url').toString());
        return { authorization: `Bearer ${signJwt(claims, foreign.privateKey, 'foreign')}` };
      },
    ],
  ])('answers 401 JSON to %s', async (_case, headers) => {
    const response = await api('tasks', { headers: headers() as Record<string, string> });
    expect(response.status).toBe(401);
    expect(response.body).toMatchObject({ error: 'Unauthorized', message: expect.any(String) });
  });

  it('lets /tasks/health through without one', async () => {
    const health = await api('tasks/health');
    expect(health.status).toBe(200);
    expect(health.body).toEqual({ status: 'ok', table: 'reachable' });
  });
});

describe('validation', () => {
  it.each([
    ['an empty name', { name: '' }, 'body.name', 'must not be empty'],
    ['a name of only spaces', { name: '   ' }, 'body.name', 'must not be empty'],
    ['a 201-character name', { name: 'n'.repeat(201) }, 'body.name', 'must be at most 200 characters'],
    ['a missing name', {}, 'body.name', 'is required'],
    ['an unknown field', { name: 'ok', priority: 1 }, 'body.priority', 'is not allowed'],
    ['a number as name', { name: 42 }, 'body.name', expect.any(String)],
  ])('refuses %s on create with 400 naming the field', async (_case, body, field, message) => {
    const response = await call('POST', 'tasks', { body, as: alice });
    expect(response.status).toBe(400);
    expect(response.body.fields).toContainEqual({ field, message });
  });

  it('accepts a 200-character name after trimming', async () => {
    const response = await create(alice, `  ${'n'.repeat(200)}  `);
    expect(response.status).toBe(201);
    expect(response.body.name).toHaveLength(200);
  });

  it.each([
    ['done as a string', { done: 'yes' }, 'body.done'],
    ['an unknown field', { done: true, owner: 'x' }, 'body.owner'],
    ['no change at all', {}, 'body'],
  ])('refuses %s on update with 400 naming the field', async (_case, body, field) => {
    const task = (await create(alice, 'to patch')).body;
    const response = await call('PATCH', `tasks/${task.id}`, { body, as: alice });
    expect(response.status).toBe(400);
    expect(response.body.fields.map((f: { field: string }) => f.field)).toContain(field);
  });

  it('refuses malformed JSON with 400 naming the body', async () => {
    const response = await call('POST', 'tasks', { body: '{"name": "x"', as: alice });
    expect(response.status).toBe(400);
    expect(response.body.fields).toEqual([{ field: 'body', message: 'must be valid JSON' }]);
  });

  it('refuses a body over 16 KB with 413', async () => {
    const response = await call('POST', 'tasks', {
      body: { name: 'x', pad: 'p'.repeat(17 * 1024) },
      as: alice,
    });
    expect(response.status).toBe(413);
    expect(response.body.error).toBe('PayloadTooLarge');
  });

  it.each([
    ['tasks?limit=0', 'query.limit'],
    ['tasks?limit=101', 'query.limit'],
    ['tasks?limit=ten', 'query.limit'],
    ['tasks?cursor=bm90LWEtY3Vyc29y', 'query.cursor'],
    [`tasks/${'x'.repeat(65)}`, 'params.id'],
    ['tasks/bad%20id', 'params.id'],
  ])('refuses %s with 400 naming %s', async (path, field) => {
    const response = await call('GET', path, { as: alice });
    expect(response.status).toBe(400);
    expect(response.body.fields.map((f: { field: string }) => f.field)).toContain(field);
  });
});

describe('log feed', () => {
  it('receives task.created, task.updated and task.deleted with the user id and never the email', async () => {
    await drainQueue(resources.shared('logFeedArchiveQueueUrl'));
    const id = (await create(alice, 'announced')).body.id as string;
    await call('PATCH', `tasks/${id}`, { body: { done: true }, as: alice });
    await call('DELETE', `tasks/${id}`, { as: alice });

    const collected: Message[] = [];
    const events = await waitFor('three task events', async () => {
      collected.push(...(await drainQueue(resources.shared('logFeedArchiveQueueUrl'))));
      const mine = collected
        .map((m) => ({ raw: m.Body ?? '', message: JSON.parse(m.Body ?? '{}') as FeedMessage }))
        .filter(({ raw }) => raw.includes(id));
      return mine.length >= 3 ? mine : undefined;
    });
    // SNS to a standard queue keeps no order: the publish time does.
    const published = events.toSorted((a, b) => a.message.timestamp.localeCompare(b.message.timestamp));
    expect(published.map((e) => e.message.type)).toEqual(['task.created', 'task.updated', 'task.deleted']);
    for (const { raw, message } of events) {
      expect(message.service).toBe('tasks');
      expect(message.data).toMatchObject({ userId: alice.id });
      expect(raw).not.toContain(alice.email);
    }
  });
});
