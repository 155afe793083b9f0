import { gzipSync } from 'node:zlib';
import { type PublishBatchCommand, SNSClient } from '@aws-sdk/client-sns';
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  decodeDelivery,
  errorFeedMessages,
  type LogsDelivery,
} from '../../../functions/log-feed/domain/error-lines.js';
import { toLogLines } from '../../../functions/log-feed/domain/lines.js';
import {
  feedAttributes,
  feedMessage,
  formatFeedLine,
  parseFeedMessage,
} from '../../../functions/shared/log-feed/event.js';
import { publishManyToFeed } from '../../../functions/shared/log-feed/sns-publisher.js';

const at = new Date('2026-11-21T10:00:00.000Z');

describe('feed messages', () => {
  it('carry a timestamp, the service, the type and the request id, also as attributes', () => {
    const message = feedMessage('downcase', 'r-1', { type: 'downcase.response', data: { a: 1 } }, at);
    expect(message).toEqual({
      timestamp: '2026-11-21T10:00:00.000Z',
      service: 'downcase',
      type: 'downcase.response',
      requestId: 'r-1',
      data: { a: 1 },
    });
    expect(feedAttributes(message)).toEqual({
      service: 'downcase',
      type: 'downcase.response',
      requestId: 'r-1',
    });
  });

  it('format as one timestamped line', () => {
    const message = feedMessage('tasks', 'r-2', { type: 'task.created', data: { id: 't' } }, at);
    expect(formatFeedLine(message)).toBe('2026-11-21T10:00:00.000Z tasks task.created r-2 {"id":"t"}');
  });

  it('round-trip through JSON, and anything else is refused', () => {
    const message = feedMessage('s', 'r', { type: 't', data: null }, at);
    expect(parseFeedMessage(JSON.stringify(message))).toEqual(message);
    expect(() => parseFeedMessage('{"hello":1}')).toThrow('not a log-feed message');
  });
});

describe('subscriber lines', () => {
  it('are sorted by message time and keep unparsable bodies', () => {
    const later = feedMessage('s', 'r2', { type: 't', data: 2 }, new Date('2026-11-21T10:00:02Z'));
    const earlier = feedMessage('s', 'r1', { type: 't', data: 1 }, new Date('2026-11-21T10:00:01Z'));
    const lines = toLogLines([
      { body: JSON.stringify(later), receivedAt: 0 },
      { body: 'garbage', receivedAt: Date.parse('2026-11-21T10:00:00Z') },
      { body: JSON.stringify(earlier), receivedAt: 0 },
    ]);
    expect(lines.map((line) => line.message)).toEqual([
      '2026-11-21T10:00:00.000Z unparsed garbage',
      formatFeedLine(earlier),
      formatFeedLine(later),
    ]);
  });
});

describe('error forwarding', () => {
  const delivery = (messages: string[]): LogsDelivery => ({
    messageType: 'DATA_MESSAGE',
    logGroup: '/aws/lambda/downcase',
    logStream: 's',
    logEvents: messages.map((message, i) => ({ id: String(i), timestamp: at.getTime(), message })),
  });

  it('forwards Powertools ERROR lines with their service and request id', () => {
    const line = { level: 'ERROR', message: 'request failed', service: 'downcase', requestId: 'r-9' };
    const [message, ...rest] = errorFeedMessages(delivery([JSON.stringify(line)]));
    expect(rest).toEqual([]);
    expect(message).toMatchObject({ service: 'downcase', type: 'log.error', requestId: 'r-9' });
    expect(message?.data).toMatchObject({ logGroup: '/aws/lambda/downcase', line });
  });

  it('skips structured lines of other levels even when they mention ERROR', () => {
    const info = JSON.stringify({
      level: 'INFO',
      message: 'lower case of ERROR is error',
      service: 'downcase',
    });
    expect(errorFeedMessages(delivery([info]))).toEqual([]);
  });

  it('forwards plain-text runtime error lines', () => {
    const [message] = errorFeedMessages(delivery(['2026-11-21T10:00:00Z abc ERROR Invoke Error boom']));
    expect(message).toMatchObject({ service: 'downcase', type: 'log.error' });
  });

  it('skips a token authorizer saying Unauthorized, which is a 401 and not a failure', () => {
    const denial =
      '2026-11-21T10:00:00.000Z\tabc\tERROR\tInvoke Error \t{"errorType":"Error","errorMessage":"Unauthorized","stack":[]}';
    const crash =
      '2026-11-21T10:00:00.000Z\tabc\tERROR\tInvoke Error \t{"errorType":"TypeError","errorMessage":"x is undefined"}';
    expect(
      errorFeedMessages(delivery([denial, crash])).map(
        (m) => (m.data as { line: { errorMessage: string } }).line.errorMessage,
      ),
    ).toEqual(['x is undefined']);
  });

  it('ignores control messages', () => {
    expect(errorFeedMessages({ ...delivery(['ERROR']), messageType: 'CONTROL_MESSAGE' })).toEqual([]);
  });

  it('decodes the gzip + base64 awslogs envelope', () => {
    const payload = delivery([JSON.stringify({ level: 'ERROR', message: 'x', service: 'y' })]);
    const data = gzipSync(Buffer.from(JSON.stringify(payload))).toString('base64');
    expect(decodeDelivery(data)).toEqual(payload);
  });
});

describe('publishing many messages', () => {
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it('sends ten per batch and fails loudly when SNS rejects one', async () => {
    const send = vi.spyOn(SNSClient.prototype, 'send');
    send.mockResolvedValue({ Successful: [], Failed: [] } as never);
    const messages = Array.from({ length: 23 }, (_, i) =>
      feedMessage('s', `r${i}`, { type: 't', data: i }, at),
    );
    await publishManyToFeed('arn:topic', messages);
    const batches = send.mock.calls.map(
      ([command]) => (command as PublishBatchCommand).input.PublishBatchRequestEntries?.length,
    );
    expect(batches).toEqual([10, 10, 3]);

    send.mockResolvedValueOnce({
      Failed: [{ Id: '0', Code: 'x', Message: 'throttled', SenderFault: false }],
    } as never);
    await expect(publishManyToFeed('arn:topic', messages.slice(0, 1))).rejects.toThrow('throttled');
  });
});
