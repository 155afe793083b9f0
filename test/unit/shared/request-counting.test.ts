import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  DynamoDBClient,
  type DynamoDBClientConfig,
  GetItemCommand,
  PutItemCommand,
} from '@aws-sdk/client-dynamodb';
import { SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import {
  addRequestCounting,
  type CountedRequest,
  counted,
  itemSize,
  nativeSize,
  REQUEST_LINE_KEY,
} from '../../../functions/shared/request-counting.js';
import { readSources } from '../../support/import-rules.js';

interface Sent {
  target: string;
  body: Record<string, unknown>;
}

/**
 * A real SDK client whose HTTP layer is a list of canned answers (status and
 * JSON body), recording every request it is sent.
 */
function fakeAws<C>(
  make: (config: DynamoDBClientConfig) => C,
  answers: Array<{ status: number; body: unknown }>,
) {
  const sent: Sent[] = [];
  const client = make({
    region: 'us-east-1',
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    maxAttempts: 3,
    retryStrategy: undefined,
    requestHandler: {
      handle: async (request: { headers: Record<string, string>; body: Uint8Array }) => {
        sent.push({
          target: request.headers['x-amz-target'] ?? '',
          body: JSON.parse(new TextDecoder().decode(request.body)),
        });
        const answer = answers.shift() ?? { status: 500, body: {} };
        return {
          response: {
            statusCode: answer.status,
            headers: { 'content-type': 'application/x-amz-json-1.0' },
            body: Buffer.from(JSON.stringify(answer.body)),
          },
        };
      },
    },
  } as never);
  return { client, sent };
}

const linesOf = (written: string[]): CountedRequest[] =>
  written.map((line) => {
    expect(line.endsWith('\n')).toBe(true);
    return (JSON.parse(line) as Record<string, CountedRequest>)[REQUEST_LINE_KEY] as CountedRequest;
  });

describe('request counting', () => {
  it('writes one line per request with the service, the action and the capacity DynamoDB reports', async () => {
    const { client, sent } = fakeAws(
      (c) => new DynamoDBClient(c),
      [
        {
          status: 200,
          body: {
            Item: { id: { S: 'a1' }, n: { N: '12' } },
            ConsumedCapacity: { TableName: 't', CapacityUnits: 0.5 },
          },
        },
        { status: 200, body: { ConsumedCapacity: { TableName: 't', CapacityUnits: 2 } } },
      ],
    );
    const written: string[] = [];
    addRequestCounting(client, (line) => written.push(line));

    await client.send(new GetItemCommand({ TableName: 't', Key: { id: { S: 'a1' } }, ConsistentRead: true }));
    await client.send(new PutItemCommand({ TableName: 't', Item: { id: { S: 'a2' } } }));

    expect(linesOf(written)).toEqual([
      {
        service: 'DynamoDB',
        operation: 'GetItem',
        capacity: 0.5,
        readBytes: 2 + 2 + 1 + 2, // "id" + "a1", "n" + 12 (one byte per two digits, plus one)
        items: 1,
        consistent: true,
      },
      { service: 'DynamoDB', operation: 'PutItem', capacity: 2 },
    ]);
    // The capacity was asked for on the wire, not by the caller.
    expect(sent.map((s) => s.body.ReturnConsumedCapacity)).toEqual(['TOTAL', 'TOTAL']);
  });

  it('sizes the document client items the way it sizes attribute values', async () => {
    const items: Array<Record<string, Record<string, unknown>>> = [
      {
        id: { S: 'thing-1' },
        tags: { SS: ['a', 'bc'] },
        nested: { M: { on: { BOOL: true }, at: { N: '-1.5' } } },
      },
      { id: { S: 'thing-2' }, list: { L: [{ S: 'x' }, { NULL: true }] } },
    ];
    const { client, sent } = fakeAws(
      (c) => DynamoDBDocumentClient.from(new DynamoDBClient(c)),
      [{ status: 200, body: { Items: items, Count: 2, ScannedCount: 5 } }],
    );
    const written: string[] = [];
    addRequestCounting(client, (line) => written.push(line));
    const input = {
      TableName: 't',
      KeyConditionExpression: 'pk = :p',
      ExpressionAttributeValues: { ':p': 'x' },
    };

    const { Items } = await client.send(new QueryCommand(input));

    const [line] = linesOf(written);
    expect(line).toMatchObject({ service: 'DynamoDB', operation: 'Query', items: 2, scanned: 5 });
    expect(line?.readBytes).toBe(items.reduce((sum, item) => sum + itemSize(item), 0));
    expect(line?.readBytes).toBe((Items ?? []).reduce((sum, item) => sum + itemSize(item, true), 0));
    expect(sent[0]?.body.ReturnConsumedCapacity).toBe('TOTAL');
    expect(input).not.toHaveProperty('ReturnConsumedCapacity');
  });

  it('counts every attempt, a failed one too, and names its error', async () => {
    const { client } = fakeAws(
      (c) => new SQSClient(c as never),
      [
        { status: 500, body: { __type: 'com.amazonaws.sqs#InternalError', message: 'try again' } },
        { status: 200, body: { MessageId: 'm1', MD5OfMessageBody: '0cc175b9c0f1b6a831c399e269772661' } },
        { status: 400, body: { __type: 'com.amazonaws.sqs#QueueDoesNotExist', message: 'no queue' } },
      ],
    );
    const written: string[] = [];
    addRequestCounting(client, (line) => written.push(line));

    await client.send(
      new SendMessageCommand({ QueueUrl: 'https://sqs.us-east-1.amazonaws.com/1/q', MessageBody: 'a' }),
    );
    await expect(
      client.send(
        new SendMessageCommand({ QueueUrl: 'https://sqs.us-east-1.amazonaws.com/1/q', MessageBody: 'b' }),
      ),
    ).rejects.toThrow('no queue');

    expect(linesOf(written)).toEqual([
      { service: 'SQS', operation: 'SendMessage', error: 'InternalError' },
      { service: 'SQS', operation: 'SendMessage' },
      { service: 'SQS', operation: 'SendMessage', error: 'QueueDoesNotExist' },
    ]);
  });

  it('leaves the client untouched outside a bench deployment', () => {
    const client = new SQSClient({ region: 'us-east-1' });
    const before = client.middlewareStack.identify();

    expect(counted(client)).toBe(client);
    expect(client.middlewareStack.identify()).toEqual(before);
  });
});

describe('item sizes', () => {
  it('follows DynamoDB: names and UTF-8 values, numbers by significant digits, 1 byte for booleans and nulls, 3 for a container plus 1 per element', () => {
    expect(itemSize({ name: { S: 'é' } })).toBe(4 + 2);
    expect(itemSize({ n: { N: '123456' } })).toBe(1 + 4);
    expect(itemSize({ n: { N: '1000' } })).toBe(1 + 2);
    expect(itemSize({ n: { N: '0.0012' } })).toBe(1 + 2);
    expect(itemSize({ b: { BOOL: false }, z: { NULL: true } })).toBe(2 + 2);
    expect(itemSize({ l: { L: [{ S: 'ab' }, { N: '1' }] } })).toBe(1 + 3 + (1 + 2) + (1 + 2));
    expect(itemSize({ m: { M: { k: { S: 'v' } } } })).toBe(1 + 3 + 1 + 1 + 1);
    expect(nativeSize({ k: 'v' })).toBe(3 + 1 + 1 + 1);
    expect(nativeSize(new Set(['ab', 'c']))).toBe(3);
  });
});

describe("the functions' SDK clients", () => {
  it('are all made through counted(), so that the bench counts every request', () => {
    const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
    const made = [...readSources(projectRoot)].flatMap(([file, source]) =>
      [...source.matchAll(/^.*new \w+Client\(.*$/gm)].map((match) => ({ file, line: match[0].trim() })),
    );
    expect(made.length).toBeGreaterThanOrEqual(10);
    expect(made.filter(({ line }) => !/counted\(new \w+Client\(/.test(line))).toEqual([]);
  });
});
