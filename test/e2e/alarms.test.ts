import { randomUUID } from 'node:crypto';
import { CloudWatchClient, DescribeAlarmsCommand, type MetricAlarm } from '@aws-sdk/client-cloudwatch';
import { GetQueueAttributesCommand, SendMessageCommand } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { ALARM_EVENT, type AlarmEventData } from '../../functions/log-feed/domain/alarms.js';
import { logFeedService } from '../../functions/log-feed/service.js';
import type { FeedMessage } from '../../functions/shared/log-feed/event.js';
import { QUEUE_DEPTH_METRIC } from '../../functions/shared/metrics-catalog.js';
import { tasksContract } from '../../functions/tasks/contract.js';
import { liveFeedUrl, STACK_NAME } from '../../lib/stack-outputs.js';
import { type Person, signUp, signUpAdmin } from './people.js';
import {
  clientConfig,
  deployment,
  drainQueue,
  logLines,
  outputs,
  resources,
  sqs,
  waitFor,
} from './support.js';

const cloudWatch = new CloudWatchClient(clientConfig);
const SUBSCRIBER_LOG = resources.logGroup(logFeedService, 'subscriber');
/** The local agent records queue depths once a minute, as CloudWatch does: a change shows within about a minute. */
const WITHIN_A_MINUTE = { timeoutMs: 100_000, intervalMs: 1_000 };

// The tasks service's RPC requests: no other test parks anything in their dead-letter queue.
const requestQueue = resources.rpcQueue(tasksContract);
const deadLetterQueue = resources.rpcDeadLetterQueue(tasksContract);
const queueName = deadLetterQueue.slice(deadLetterQueue.lastIndexOf('/') + 1);

async function stackAlarms(): Promise<MetricAlarm[]> {
  const alarms: MetricAlarm[] = [];
  let NextToken: string | undefined;
  do {
    const page = await cloudWatch.send(
      new DescribeAlarmsCommand({ AlarmNamePrefix: `${STACK_NAME}-`, NextToken }),
    );
    alarms.push(...(page.MetricAlarms ?? []));
    NextToken = page.NextToken;
  } while (NextToken);
  return alarms;
}

const depth = async () =>
  Number(
    (
      await sqs.send(
        new GetQueueAttributesCommand({
          QueueUrl: deadLetterQueue,
          AttributeNames: ['ApproximateNumberOfMessages'],
        }),
      )
    ).Attributes?.ApproximateNumberOfMessages,
  );

/** A live-feed connection and the messages it received. */
interface Listener {
  socket: WebSocket;
  received: FeedMessage[];
}

function listen(person: Person): Promise<Listener> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(
      `${liveFeedUrl(outputs, deployment.endpoint)}?token=${encodeURIComponent(person.accessToken)}`,
    );
    const listener: Listener = { socket, received: [] };
    socket.on('message', (data) => listener.received.push(JSON.parse(String(data))));
    socket.once('open', () => resolve(listener));
    socket.once('error', reject);
  });
}

const isAlarm = (name: string, state: string) => (m: FeedMessage) =>
  m.type === ALARM_EVENT &&
  (m.data as AlarmEventData).alarm === name &&
  (m.data as AlarmEventData).state === state;

let admin: Listener;
let user: Listener;

beforeAll(async () => {
  await drainQueue(deadLetterQueue);
  const [boss, ann] = await Promise.all([signUpAdmin('alarms-boss'), signUp('alarms-ann')]);
  [admin, user] = await Promise.all([listen(boss), listen(ann)]);
});

afterAll(async () => {
  admin?.socket.terminate();
  user?.socket.terminate();
  await drainQueue(deadLetterQueue);
});

describe('alarms on the local stack', () => {
  it('are deployed under the stack’s prefix, each described, sending ALARM and OK to one topic', async () => {
    const alarms = await stackAlarms();
    expect(alarms.length).toBeGreaterThan(30);
    for (const alarm of alarms) {
      expect(alarm.AlarmDescription?.length).toBeGreaterThan(20);
      expect(alarm.AlarmActions).toHaveLength(1);
      expect(alarm.OKActions).toEqual(alarm.AlarmActions);
    }
  });

  it("a message parked in a dead-letter queue puts that queue's alarm in ALARM (not another queue's), its alarm event reaches the log feed and admins only, then OK once it is gone", {
    timeout: 300_000,
  }, async () => {
    const alarm = (await stackAlarms()).find(
      (a) =>
        a.Namespace === QUEUE_DEPTH_METRIC.namespace &&
        a.Dimensions?.some((d) => d.Name === QUEUE_DEPTH_METRIC.dimension && d.Value === queueName),
    );
    const name = alarm?.AlarmName ?? '';
    expect(name).toMatch(new RegExp(`^${STACK_NAME}-.*dead-letters$`));

    // A request that is no RPC envelope: the tasks RPC function parks it in its dead-letter queue at once.
    await sqs.send(
      new SendMessageCommand({ QueueUrl: requestQueue, MessageBody: `not an envelope ${randomUUID()}` }),
    );
    await waitFor('the message in the dead-letter queue', async () =>
      (await depth()) >= 1 ? true : undefined,
    );

    const parked = Date.now();
    await waitFor(
      `${name} in ALARM`,
      async () =>
        (await stackAlarms()).find((a) => a.AlarmName === name)?.StateValue === 'ALARM' ? true : undefined,
      WITHIN_A_MINUTE,
    );
    const toAlarm = Date.now() - parked;
    // Only that queue's depth counts: another dead-letter queue's alarm stays as it was, although
    // queues of the same metric hold messages (the log-feed archive keeps every one).
    const archiveDlq = resources.shared('logFeedArchiveDlqUrl');
    const archiveDlqAlarm = (await stackAlarms()).find((a) =>
      a.Dimensions?.some((d) => d.Value === archiveDlq.slice(archiveDlq.lastIndexOf('/') + 1)),
    );
    expect(archiveDlqAlarm?.AlarmName).toBe(`${STACK_NAME}-log-feed-archive-dead-letters`);
    expect(archiveDlqAlarm?.StateValue).not.toBe('ALARM');

    const [line] = await waitFor('the alarm event in the subscriber log', async () => {
      const lines = (await logLines(SUBSCRIBER_LOG, name)).filter((l) => l.includes(` ${ALARM_EVENT} `));
      return lines.length > 0 ? lines : undefined;
    });
    const event = JSON.parse((line ?? '').slice((line ?? '').indexOf('{'))) as AlarmEventData;
    expect(event).toMatchObject({ alarm: name, state: 'ALARM', previousState: 'OK' });
    expect(event.reason).toMatch(/Threshold Crossed/);
    expect(Date.parse(event.time)).toBeGreaterThanOrEqual(parked - 1_000);

    await waitFor('the alarm event at the admin’s live feed', async () =>
      admin.received.find(isAlarm(name, 'ALARM')),
    );

    await drainQueue(deadLetterQueue);
    const drained = Date.now();
    let parkedAgain = 0;
    await waitFor(
      'the OK event at the admin’s live feed',
      async () => {
        // SQS delivers at least once: on a loaded machine the request may be parked again after the drain.
        parkedAgain += (await drainQueue(deadLetterQueue, 0)).length;
        return admin.received.find(isAlarm(name, 'OK'));
      },
      WITHIN_A_MINUTE,
    ).catch(async (error: Error) => {
      const now = (await stackAlarms()).find((a) => a.AlarmName === name);
      throw new Error(
        `${error.message}; the alarm is ${now?.StateValue} (${now?.StateReason}); parked again after the drain: ${parkedAgain}`,
      );
    });
    const toOk = Date.now() - drained;
    expect((await stackAlarms()).find((a) => a.AlarmName === name)?.StateValue).toBe('OK');

    // Alarms are operators' business: a signed-in person who is no admin got neither change.
    expect(user.received.filter((m) => m.type === ALARM_EVENT)).toEqual([]);
    console.log(
      `[alarms] ${name}: ALARM ${(toAlarm / 1000).toFixed(1)} s after the message was parked, OK ${(toOk / 1000).toFixed(1)} s after it was removed (parked again meanwhile: ${parkedAgain})`,
    );
  });
});
