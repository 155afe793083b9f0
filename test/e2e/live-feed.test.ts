import { randomUUID } from 'node:crypto';
import { GetCommand, PutCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { liveFeedService } from '../../functions/live-feed/service.js';
import type { FeedMessage } from '../../functions/shared/log-feed/event.js';
import { liveFeedUrl } from '../../lib/stack-outputs.js';
import { call, type Person, signUp, signUpAdmin } from './people.js';
import { api, deployment, dynamo as documents, outputs, resources, waitFor } from './support.js';

const FEED_URL = liveFeedUrl(outputs, deployment.endpoint);

/** An open live-feed connection and every message it has received. */
interface Listener {
  socket: WebSocket;
  received: FeedMessage[];
}
const open: WebSocket[] = [];

/** Connects with the given query string; resolves when the handshake is accepted, rejects with its HTTP status. */
function connect(query: string): Promise<Listener> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(`${FEED_URL}${query}`);
    open.push(socket);
    const received: FeedMessage[] = [];
    socket.on('message', (data) => received.push(JSON.parse(String(data))));
    socket.once('open', () => resolve({ socket, received }));
    socket.once('unexpected-response', (_request, response) =>
      reject(new Error(`handshake refused: ${response.statusCode}`)),
    );
    socket.once('error', reject);
  });
}
const connectAs = (person: Person) => connect(`?token=${encodeURIComponent(person.accessToken)}`);

const arrived = (listener: Listener, what: string, match: (m: FeedMessage) => boolean) =>
  waitFor(what, async () => listener.received.find(match), { timeoutMs: 10_000, intervalMs: 50 });

async function downcase(text: string): Promise<void> {
  expect((await api(`downcase?param=${encodeURIComponent(text)}`)).status).toBe(200);
}
const isDowncaseOf = (text: string) => (m: FeedMessage) =>
  m.type === 'downcase.response' && (m.data as { input?: string }).input === text;

let ann: Person;
let bob: Person;
let boss: Person;

beforeAll(async () => {
  [ann, bob, boss] = await Promise.all([signUp('ann'), signUp('bob'), signUpAdmin('boss')]);
});

afterAll(() => {
  for (const socket of open) socket.terminate();
});

describe('the live feed over the WebSocket API', () => {
  it('delivers a downcase message to a connected, signed-in person within 2 s', async () => {
    const listener = await connectAs(ann);
    const text = `Live-${randomUUID().slice(0, 8)}`;
    const started = Date.now();
    await downcase(text);
    const message = await arrived(listener, 'the downcase message', isDowncaseOf(text));
    expect(Date.now() - started).toBeLessThan(2_000);
    expect(message).toMatchObject({ service: 'downcase', data: { result: text.toLowerCase() } });
  });

  it('refuses a connection without a token with 401', async () => {
    await expect(connect('')).rejects.toThrow('handshake refused: 401');
  });

  it.each([
    ['a malformed token', 'not-a-jwt'],
    ['a forged token', 'eyJhbGciOiJSUzI1NiIsImtpZCI6IngifQ.eyJzdWIiOiJ4In0.c2ln'],
  ])('refuses %s with 403', async (_case, token) => {
    await expect(connect(`?token=${token}`)).rejects.toThrow('handshake refused: 403');
  });

  it('sends an event naming a user to that user and admins only, and broadcasts the rest', async () => {
    const [annFeed, bobFeed, bossFeed] = await Promise.all([connectAs(ann), connectAs(bob), connectAs(boss)]);
    const name = `feed-${randomUUID().slice(0, 8)}`;
    expect((await call('POST', 'tasks', { body: { name }, as: ann })).status).toBe(201);
    const isAnnsTask = (m: FeedMessage) =>
      m.type === 'task.created' && (m.data as { task?: { name?: string } }).task?.name === name;
    await arrived(annFeed, "ann's task event at ann", isAnnsTask);
    await arrived(bossFeed, "ann's task event at the admin", isAnnsTask);

    // A broadcast published afterwards reaches bob: by then ann's event would have too.
    const text = `After-${randomUUID().slice(0, 8)}`;
    await downcase(text);
    await arrived(bobFeed, 'the later broadcast at bob', isDowncaseOf(text));
    expect(bobFeed.received.filter((m) => m.type.startsWith('task.'))).toEqual([]);
  });

  it('removes a connection that is gone when a message finds it so', async () => {
    const TableName = resources.table(liveFeedService, 'connections');
    const connectionId = `gone-${randomUUID().slice(0, 8)}`;
    await documents.send(
      new PutCommand({
        TableName,
        Item: {
          connectionId,
          userId: ann.id,
          role: 'user',
          expiresAt: Math.floor(Date.now() / 1000) + 600,
        },
      }),
    );
    await downcase(`Gone-${connectionId}`);
    await waitFor('the gone connection to be removed', async () => {
      const { Item } = await documents.send(new GetCommand({ TableName, Key: { connectionId } }));
      return Item ? undefined : true;
    });
  });

  it('forgets a connection once the browser closes it ($disconnect)', async () => {
    const listener = await connectAs(bob);
    const TableName = resources.table(liveFeedService, 'connections');
    const stored = async () => {
      const { Items = [] } = await documents.send(new ScanCommand({ TableName }));
      return Items.filter((item) => item.userId === bob.id).length;
    };
    const before = await stored();
    expect(before).toBeGreaterThan(0);
    listener.socket.close();
    await waitFor('the closed connection to be removed', async () =>
      (await stored()) < before ? true : undefined,
    );
  });
});
