import { randomUUID } from 'node:crypto';
import {
  AdminRemoveUserFromGroupCommand,
  CognitoIdentityProviderClient,
} from '@aws-sdk/client-cognito-identity-provider';
import { InvokeCommand } from '@aws-sdk/client-lambda';
import { PublishCommand } from '@aws-sdk/client-sns';
import { GetCommand, PutCommand, ScanCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { downcaseService } from '../../functions/downcase/service.js';
import { liveFeedService } from '../../functions/live-feed/service.js';
import { type FeedMessage, feedMessage } from '../../functions/shared/log-feed/event.js';
import { liveFeedUrl } from '../../lib/stack-outputs.js';
import { call, type Person, signUp, signUpAdmin } from './people.js';
import {
  api,
  clientConfig,
  deployment,
  dynamo as documents,
  lambda,
  outputs,
  resources,
  sns,
  waitFor,
} from './support.js';

const FEED_URL = liveFeedUrl(outputs, deployment.endpoint);
const CONNECTIONS = resources.table(liveFeedService, 'connections');
/** How soon after a change of rights a connection must stop receiving and be closed. */
const RIGHTS_DEADLINE_MS = 30_000;

/** An open live-feed connection, every message it has received (with when), and when it closed. */
interface Listener {
  socket: WebSocket;
  received: FeedMessage[];
  arrivals: number[];
  closedAt?: number;
}
const open: WebSocket[] = [];

/** Connects with the given query string; resolves when the handshake is accepted, rejects with its HTTP status. */
function connect(query: string): Promise<Listener> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(`${FEED_URL}${query}`);
    open.push(socket);
    const listener: Listener = { socket, received: [], arrivals: [] };
    socket.on('message', (data) => {
      listener.received.push(JSON.parse(String(data)));
      listener.arrivals.push(Date.now());
    });
    socket.on('close', () => {
      listener.closedAt = Date.now();
    });
    socket.once('open', () => resolve(listener));
    socket.once('unexpected-response', (_request, response) =>
      reject(new Error(`handshake refused: ${response.statusCode}`)),
    );
    socket.once('error', reject);
  });
}
const connectAs = (person: Person) => connect(`?token=${encodeURIComponent(person.accessToken)}`);

const arrived = (listener: Listener, what: string, match: (m: FeedMessage) => boolean) =>
  waitFor(what, async () => listener.received.find(match), { timeoutMs: 10_000, intervalMs: 50 });

/** `GET /downcase`, anonymously or as `sender`. */
async function downcase(text: string, sender?: Person): Promise<void> {
  const headers: Record<string, string> = sender ? { authorization: `Bearer ${sender.accessToken}` } : {};
  expect((await api(`downcase?param=${encodeURIComponent(text)}`, { headers })).status).toBe(200);
}
const isDowncaseOf = (text: string) => (m: FeedMessage) =>
  m.type === 'downcase.response' && (m.data as { input?: string }).input === text;
const hasRequestId = (requestId: string) => (m: FeedMessage) => m.requestId === requestId;

const cognito = new CognitoIdentityProviderClient(clientConfig);

/**
 * Publishes anonymous downcase probes (which reach admins only), one a
 * second, until `listener` is closed; returns when it closed, or fails after
 * 45 s. `control`, an admin whose rights did not change, must receive every
 * probe, so a listener that hears nothing because nothing was delivered
 * fails the test.
 */
async function probeUntilClosed(listener: Listener, control: Listener): Promise<number> {
  let last = '';
  const closedAt = await waitFor(
    'the connection to be closed',
    async () => {
      if (listener.closedAt !== undefined) return listener.closedAt;
      last = `Probe-${randomUUID().slice(0, 8)}`;
      await downcase(last);
      return undefined;
    },
    { timeoutMs: 45_000, intervalMs: 1_000 },
  );
  await arrived(control, 'the last probe at the unchanged admin', isDowncaseOf(last));
  return closedAt;
}

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
  it('delivers a signed-in sender their own downcase message within 2 s', async () => {
    const listener = await connectAs(ann);
    const text = `Live-${randomUUID().slice(0, 8)}`;
    const started = Date.now();
    await downcase(text, ann);
    const message = await arrived(listener, 'the downcase message', isDowncaseOf(text));
    expect(Date.now() - started).toBeLessThan(2_000);
    expect(message).toMatchObject({
      service: 'downcase',
      data: { result: text.toLowerCase(), userId: ann.id },
    });
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

  it('sends an event naming a user to that user and admins only', async () => {
    const [annFeed, bobFeed, bossFeed] = await Promise.all([connectAs(ann), connectAs(bob), connectAs(boss)]);
    const name = `feed-${randomUUID().slice(0, 8)}`;
    expect((await call('POST', 'tasks', { body: { name }, as: ann })).status).toBe(201);
    const isAnnsTask = (m: FeedMessage) =>
      m.type === 'task.created' && (m.data as { task?: { name?: string } }).task?.name === name;
    await arrived(annFeed, "ann's task event at ann", isAnnsTask);
    await arrived(bossFeed, "ann's task event at the admin", isAnnsTask);

    // A message for bob published afterwards reaches him: by then ann's event would have too.
    const text = `After-${randomUUID().slice(0, 8)}`;
    await downcase(text, bob);
    await arrived(bobFeed, "bob's later downcase at bob", isDowncaseOf(text));
    expect(bobFeed.received.filter((m) => m.type.startsWith('task.'))).toEqual([]);
    expect(annFeed.received.filter(isDowncaseOf(text))).toEqual([]);
  });

  it("keeps operators' events and anonymous text from a non-admin, while an admin gets them", async () => {
    const [annFeed, bossFeed] = await Promise.all([connectAs(ann), connectAs(boss)]);

    // Anyone on the internet, unsigned, putting text into consoles.
    const lure = `URGENT-${randomUUID().slice(0, 8)} https://evil.example/login`;
    await downcase(lure);
    // A function's ERROR line, forwarded as log.error: the downcase function invoked with a route it does not declare.
    const errorRequestId = `err-${randomUUID()}`;
    await lambda.send(
      new InvokeCommand({
        FunctionName: resources.functionName(downcaseService, 'downcase'),
        Payload: JSON.stringify({
          httpMethod: 'GET',
          resource: '/undeclared',
          path: '/undeclared',
          requestContext: { requestId: errorRequestId },
        }),
      }),
    );
    // A booking repair, published as the bookings reconciler publishes it (another person's booking).
    const repair = feedMessage('bookings', `repair-${randomUUID()}`, {
      type: 'booking.repaired',
      data: { bookingId: randomUUID(), from: 'pending', action: 'released', movieId: 'm', showtimeId: 's' },
    });
    await sns.send(
      new PublishCommand({
        TopicArn: resources.shared('logFeedTopicArn'),
        Message: JSON.stringify(repair),
        MessageAttributes: Object.fromEntries(
          (['service', 'type', 'requestId'] as const).map((key) => [
            key,
            { DataType: 'String', StringValue: repair[key] },
          ]),
        ),
      }),
    );

    await arrived(bossFeed, 'the anonymous downcase at the admin', isDowncaseOf(lure));
    await waitFor('the log.error at the admin', async () =>
      bossFeed.received.find((m) => m.type === 'log.error' && m.requestId === errorRequestId),
    );
    await arrived(bossFeed, 'the booking repair at the admin', hasRequestId(repair.requestId));

    // ann's own message, published after the three, reaches her: by then they would have too.
    const marker = `Mine-${randomUUID().slice(0, 8)}`;
    await downcase(marker, ann);
    await arrived(annFeed, "ann's own later downcase", isDowncaseOf(marker));
    expect(annFeed.received.filter((m) => m.type === 'log.error')).toEqual([]);
    expect(annFeed.received.filter((m) => m.type === 'booking.repaired')).toEqual([]);
    expect(annFeed.received.filter(isDowncaseOf(lure))).toEqual([]);
  });

  it("stops a deleted admin's connection within 30 s and closes it", async () => {
    const leaving = await signUpAdmin('leaving');
    const [leavingFeed, controlFeed] = await Promise.all([connectAs(leaving), connectAs(boss)]);
    const before = `Before-${randomUUID().slice(0, 8)}`;
    await downcase(before);
    await arrived(leavingFeed, 'a message before the deletion', isDowncaseOf(before));

    expect((await call('DELETE', 'users/me', { as: leaving })).status).toBe(202);
    const deletedAt = Date.now();
    const closedAt = await probeUntilClosed(leavingFeed, controlFeed);
    expect(closedAt - deletedAt).toBeLessThan(RIGHTS_DEADLINE_MS);
    expect(leavingFeed.arrivals.filter((at) => at > deletedAt + RIGHTS_DEADLINE_MS)).toEqual([]);
  });

  it("stops a revoked admin's connection within 30 s and closes it", async () => {
    const revoked = await signUpAdmin('revoked');
    const [revokedFeed, controlFeed] = await Promise.all([connectAs(revoked), connectAs(boss)]);
    const before = `Before-${randomUUID().slice(0, 8)}`;
    await downcase(before);
    await arrived(revokedFeed, 'a message before the revocation', isDowncaseOf(before));

    await cognito.send(
      new AdminRemoveUserFromGroupCommand({
        UserPoolId: resources.shared('userPoolId'),
        Username: revoked.email,
        GroupName: 'admin',
      }),
    );
    const revokedAt = Date.now();
    const closedAt = await probeUntilClosed(revokedFeed, controlFeed);
    expect(closedAt - revokedAt).toBeLessThan(RIGHTS_DEADLINE_MS);
    expect(revokedFeed.arrivals.filter((at) => at > revokedAt + RIGHTS_DEADLINE_MS)).toEqual([]);
  });

  it('closes a connection once its token has expired', async () => {
    const person = await signUpAdmin('expiring');
    const [feed, controlFeed] = await Promise.all([connectAs(person), connectAs(boss)]);
    const { Items = [] } = await documents.send(new ScanCommand({ TableName: CONNECTIONS }));
    const [row] = Items.filter((item) => item.userId === person.id);
    expect(row?.tokenExpiresAt).toBeGreaterThan(Date.now() / 1000);
    // An hour-long token cannot be waited out here: the recorded expiry is moved to the past instead.
    await documents.send(
      new UpdateCommand({
        TableName: CONNECTIONS,
        Key: { connectionId: row?.connectionId },
        UpdateExpression: 'SET tokenExpiresAt = :past',
        ExpressionAttributeValues: { ':past': Math.floor(Date.now() / 1000) - 1 },
      }),
    );
    const expiredAt = Date.now();
    const closedAt = await probeUntilClosed(feed, controlFeed);
    expect(closedAt - expiredAt).toBeLessThan(RIGHTS_DEADLINE_MS);
  });

  it('removes a connection that is gone when a message finds it so', async () => {
    const connectionId = `gone-${randomUUID().slice(0, 8)}`;
    const now = Math.floor(Date.now() / 1000);
    await documents.send(
      new PutCommand({
        TableName: CONNECTIONS,
        Item: {
          connectionId,
          userId: boss.id,
          role: 'admin',
          tokenExpiresAt: now + 600,
          expiresAt: now + 600,
        },
      }),
    );
    await downcase(`Gone-${connectionId}`);
    await waitFor('the gone connection to be removed', async () => {
      const { Item } = await documents.send(
        new GetCommand({ TableName: CONNECTIONS, Key: { connectionId } }),
      );
      return Item ? undefined : true;
    });
  });

  it('forgets a connection once the browser closes it ($disconnect)', async () => {
    const listener = await connectAs(bob);
    const stored = async () => {
      const { Items = [] } = await documents.send(new ScanCommand({ TableName: CONNECTIONS }));
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
