import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { apiEvent, lambdaContext } from '../../support/api-events.js';

const TOPIC = 'arn:aws:sns:us-east-1:000000000000:log-feed';
const send = vi.spyOn(SNSClient.prototype, 'send');
let handler: typeof import('../../../functions/downcase/handler.js').handler;

beforeAll(async () => {
  vi.stubEnv('LOG_FEED_TOPIC_ARN', TOPIC);
  vi.stubEnv('POWERTOOLS_SERVICE_NAME', 'downcase');
  vi.stubEnv('USER_POOL_ID', 'eu-west-1_pool');
  vi.stubEnv('USER_POOL_CLIENT_ID', 'client-1');
  vi.stubEnv('AWS_REGION', 'eu-west-1');
  ({ handler } = await import('../../../functions/downcase/handler.js'));
});

afterEach(() => {
  send.mockReset();
});

async function get(query: Record<string, string> | null, headers: Record<string, string> = {}) {
  send.mockResolvedValue({ MessageId: 'm-1' } as never);
  const response = await handler(
    apiEvent({ resource: '/downcase', path: '/downcase', queryStringParameters: query, headers }),
    lambdaContext,
  );
  return { status: response.statusCode, body: JSON.parse(response.body) };
}

describe('downcase handler', () => {
  it('answers 200 and publishes the response with its attributes', async () => {
    const response = await get({ param: 'HeLLo' });
    expect(response).toEqual({
      status: 200,
      body: { input: 'HeLLo', result: 'hello', message: 'lower case of HeLLo is hello' },
    });
    expect(send).toHaveBeenCalledTimes(1);
    const command = send.mock.calls[0]?.[0] as PublishCommand;
    expect(command).toBeInstanceOf(PublishCommand);
    expect(command.input.TopicArn).toBe(TOPIC);
    expect(command.input.MessageAttributes).toEqual({
      service: { DataType: 'String', StringValue: 'downcase' },
      type: { DataType: 'String', StringValue: 'downcase.response' },
      requestId: { DataType: 'String', StringValue: 'req-1' },
      traceparent: {
        DataType: 'String',
        StringValue: expect.stringMatching(/^00-[0-9a-f]{32}-[0-9a-f]{16}-01$/),
      },
    });
    const message = JSON.parse(command.input.Message ?? '');
    expect(message).toMatchObject({ service: 'downcase', type: 'downcase.response', requestId: 'req-1' });
    expect(message.data).not.toHaveProperty('userId');
    expect(Date.parse(message.timestamp)).not.toBeNaN();
  });

  it('answers a caller whose token is not valid as anonymous, naming no one in the event', async () => {
    const response = await get({ param: 'Hi' }, { Authorization: 'Bearer not-a-jwt' });
    expect(response.status).toBe(200);
    const command = send.mock.calls[0]?.[0] as PublishCommand;
    expect(JSON.parse(command.input.Message ?? '').data).not.toHaveProperty('userId');
  });

  it('handles any Unicode input', async () => {
    const response = await get({ param: 'ΣΑΣ İ 😀' });
    expect(response.body.result).toBe('ΣΑΣ İ 😀'.toLowerCase());
  });

  it.each([
    ['missing', null, 'is required'],
    ['empty', { param: '' }, 'must not be empty'],
    ['too long', { param: 'x'.repeat(4097) }, 'must be at most 4096 characters'],
  ])('rejects a %s param with 400 naming the field, publishing nothing', async (_case, query, message) => {
    const response = await get(query);
    expect(response.status).toBe(400);
    expect(response.body.fields).toEqual([{ field: 'query.param', message }]);
    expect(send).not.toHaveBeenCalled();
  });

  it('accepts a param of exactly 4096 characters', async () => {
    expect((await get({ param: 'Y'.repeat(4096) })).body.result).toBe('y'.repeat(4096));
  });

  it('answers a generic 500 when the feed is unreachable', async () => {
    send.mockRejectedValue(new Error('connect ECONNREFUSED'));
    const response = await handler(
      apiEvent({ resource: '/downcase', queryStringParameters: { param: 'A' } }),
      lambdaContext,
    );
    expect(response.statusCode).toBe(500);
    expect(JSON.parse(response.body).message).toBe('Internal server error');
  });
});
