import { type PublishBatchCommand, SNSClient } from '@aws-sdk/client-sns';
import type { Context, SNSEvent } from 'aws-lambda';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { lambdaContext } from '../../support/api-events.js';

const TOPIC = 'arn:aws:sns:us-east-1:000000000000:log-feed';
let handler: (event: SNSEvent, context: Context) => Promise<void>;

beforeAll(async () => {
  vi.stubEnv('LOG_FEED_TOPIC_ARN', TOPIC);
  ({ handler } = await import('../../../functions/log-feed/alarm-handler.js'));
});

afterEach(() => {
  vi.restoreAllMocks();
});

const record = (id: string, message: string): SNSEvent['Records'][number] =>
  ({ EventSource: 'aws:sns', Sns: { MessageId: id, Message: message } }) as SNSEvent['Records'][number];

const change = {
  AlarmName: 'Microservices-tasks-rpc-requests-dead-letters',
  NewStateValue: 'ALARM',
  OldStateValue: 'OK',
  NewStateReason: 'Threshold Crossed',
  StateChangeTime: '2026-12-04T05:00:00Z',
};

describe('the alarm topic function', () => {
  it('publishes each state change to the log feed as an `alarm` event with its attributes', async () => {
    const send = vi
      .spyOn(SNSClient.prototype, 'send')
      .mockResolvedValue({ Successful: [], Failed: [] } as never);
    await handler({ Records: [record('n-1', JSON.stringify(change))] }, lambdaContext);
    expect(send).toHaveBeenCalledTimes(1);
    const [[command]] = send.mock.calls as unknown as [[PublishBatchCommand]];
    const input = command.input;
    expect(input.TopicArn).toBe(TOPIC);
    const [entry] = input.PublishBatchRequestEntries ?? [];
    expect(JSON.parse(entry?.Message ?? '')).toEqual({
      timestamp: '2026-12-04T05:00:00.000Z',
      service: 'alarms',
      type: 'alarm',
      requestId: 'n-1',
      data: {
        alarm: change.AlarmName,
        state: 'ALARM',
        previousState: 'OK',
        reason: 'Threshold Crossed',
        time: '2026-12-04T05:00:00.000Z',
      },
      // The notification is a span of the alarm function; the message joins its trace.
      traceparent: expect.stringMatching(/^00-[0-9a-f]{32}-[0-9a-f]{16}-01$/),
    });
    expect(entry?.MessageAttributes?.type).toEqual({ DataType: 'String', StringValue: 'alarm' });
  });

  it('publishes nothing for a message that is no state change, and does not fail (a retry would not change it)', async () => {
    const send = vi.spyOn(SNSClient.prototype, 'send');
    await expect(handler({ Records: [record('n-2', 'hello')] }, lambdaContext)).resolves.toBeUndefined();
    expect(send).not.toHaveBeenCalled();
  });
});
