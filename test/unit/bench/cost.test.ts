import { describe, expect, it } from 'vitest';
import type { CountedRequest } from '../../../functions/shared/request-counting.js';
import {
  dynamoUnits,
  LOG_EVENT_OVERHEAD_BYTES,
  requestsByService,
  tally,
  usagePerOperation,
} from '../../bench/cost-usage.js';
import { dollarsPerMillion, PRICES, type Usage } from '../../bench/prices.js';

const line = (request: CountedRequest) => ({
  message: JSON.stringify({ awsRequest: request }),
  timestamp: 1,
});
const report = (billedMs: number, memoryMb: number) => ({
  message: `REPORT RequestId: r1\tDuration: ${billedMs} ms\tBilled Duration: ${billedMs} ms\tMemory Size: ${memoryMb} MB\tMax Memory Used: 80 MB`,
  timestamp: 1,
});
const none: Usage = {
  apiRequests: 0,
  webSocketMessages: 0,
  lambdaInvocations: 0,
  lambdaGbSeconds: 0,
  dynamoReadUnits: 0,
  dynamoWriteUnits: 0,
  sqsRequests: 0,
  snsRequests: 0,
  logBytes: 0,
};

describe('DynamoDB units of one request', () => {
  it('reads: half a unit per 4 KB eventually consistent, a whole one strongly consistent, at least one block', () => {
    const get = (readBytes: number, consistent?: boolean) =>
      dynamoUnits({
        service: 'DynamoDB',
        operation: 'GetItem',
        readBytes,
        items: 1,
        ...(consistent ? { consistent } : {}),
      });
    expect(get(100).read).toBe(0.5);
    expect(get(4096).read).toBe(0.5);
    expect(get(4097).read).toBe(1);
    expect(get(100, true).read).toBe(1);
    expect(dynamoUnits({ service: 'DynamoDB', operation: 'GetItem', readBytes: 0, items: 0 }).read).toBe(0.5);
  });

  it('a query pays for what it read before its filter, all its items together', () => {
    // 10 items of 1 KB returned out of 20 read: 20 KB read, 5 blocks of 4 KB, half a unit each.
    expect(
      dynamoUnits({ service: 'DynamoDB', operation: 'Query', readBytes: 10_240, items: 10, scanned: 20 })
        .read,
    ).toBe(2.5);
    expect(
      dynamoUnits({ service: 'DynamoDB', operation: 'Query', readBytes: 0, items: 0, scanned: 0 }).read,
    ).toBe(0.5);
  });

  it('batches and transactions round up every item; a transaction costs twice', () => {
    expect(
      dynamoUnits({ service: 'DynamoDB', operation: 'BatchGetItem', readBytes: 300, items: 3 }).read,
    ).toBe(1.5);
    expect(
      dynamoUnits({ service: 'DynamoDB', operation: 'TransactGetItems', readBytes: 300, items: 3 }).read,
    ).toBe(6);
  });

  it("writes: the emulator's figure; a failed write still costs a unit, two in a transaction", () => {
    expect(dynamoUnits({ service: 'DynamoDB', operation: 'UpdateItem', capacity: 3 })).toEqual({
      read: 0,
      write: 3,
    });
    expect(
      dynamoUnits({ service: 'DynamoDB', operation: 'PutItem', error: 'ConditionalCheckFailedException' })
        .write,
    ).toBe(1);
    expect(
      dynamoUnits({
        service: 'DynamoDB',
        operation: 'TransactWriteItems',
        error: 'TransactionCanceledException',
      }).write,
    ).toBe(2);
    expect(dynamoUnits({ service: 'DynamoDB', operation: 'DescribeTable' })).toEqual({ read: 0, write: 0 });
  });
});

describe('the tally of log lines', () => {
  const groups = [
    {
      group: '/aws/lambda/bookings',
      fn: { bundle: 'bookings', sqsTriggered: false },
      lines: [
        { message: 'START RequestId: r1 Version: $LATEST', timestamp: 1 },
        line({ service: 'DynamoDB', operation: 'GetItem', capacity: 0.5, readBytes: 5000, items: 1 }),
        line({ service: 'DynamoDB', operation: 'PutItem', capacity: 2 }),
        line({ service: 'SQS', operation: 'SendMessage' }),
        line({ service: 'SNS', operation: 'PublishBatch' }),
        report(12.2, 256),
        report(20, 256),
      ],
    },
    {
      group: '/aws/lambda/movies-rpc',
      fn: { bundle: 'movies-rpc', sqsTriggered: true },
      lines: [report(50, 1024)],
    },
  ];

  it('counts invocations and billed GB-seconds from REPORT lines, rounding each duration up to the millisecond', () => {
    const tallied = tally(groups);
    expect(tallied.functions.bookings).toEqual({
      invocations: 2,
      billedMs: 13 + 20,
      memoryMb: 256,
      gbSeconds: (13 / 1000) * 0.25 + (20 / 1000) * 0.25,
    });
    expect(tallied.functions['movies-rpc']?.gbSeconds).toBeCloseTo(0.05);
  });

  it('counts requests by service and action, and the SQS event source of an SQS-triggered function', () => {
    const tallied = tally(groups);
    expect(tallied.requests).toEqual({
      'DynamoDB.GetItem': 1,
      'DynamoDB.PutItem': 1,
      'SQS.SendMessage': 1,
      'SNS.PublishBatch': 1,
    });
    expect(tallied.eventSourceSqsRequests).toBe(2);
    expect(tallied.dynamo).toEqual({ readUnits: 1, writeUnits: 2, reportedReadUnits: 0.5 });
    expect(requestsByService(tallied, 2)).toEqual({ DynamoDB: 1, SQS: 0.5, SNS: 0.5 });
  });

  it('counts the bytes of every line but the counting lines, with the per-event overhead', () => {
    const kept = groups.flatMap((g) => g.lines).filter((l) => !l.message.startsWith('{"awsRequest"'));
    expect(tally(groups).logBytes).toBe(
      kept.reduce((sum, l) => sum + Buffer.byteLength(l.message) + LOG_EVENT_OVERHEAD_BYTES, 0),
    );
  });

  it('gives the use of one operation as the average over the operations', () => {
    const usage = usagePerOperation(tally(groups), 2, 1);
    expect(usage).toMatchObject({
      apiRequests: 1,
      lambdaInvocations: 1.5,
      dynamoReadUnits: 0.5,
      dynamoWriteUnits: 1,
      sqsRequests: 1.5, // one SendMessage and the event source's two, over two operations
      snsRequests: 0.5,
    });
  });
});

describe('dollars per million operations', () => {
  it('prices each part at its published price', () => {
    expect(dollarsPerMillion({ ...none, apiRequests: 1 }).apiGateway).toBeCloseTo(
      PRICES.apiGatewayRestPerMillion,
    );
    expect(dollarsPerMillion({ ...none, lambdaInvocations: 2 }).lambda).toBeCloseTo(0.4);
    // 1 GB-second per operation: a million GB-seconds.
    expect(dollarsPerMillion({ ...none, lambdaGbSeconds: 1 }).lambda).toBeCloseTo(16.6667, 3);
    expect(dollarsPerMillion({ ...none, dynamoReadUnits: 2, dynamoWriteUnits: 1 }).dynamoDb).toBeCloseTo(
      0.25 + 0.625,
    );
    const messaging = dollarsPerMillion({ ...none, sqsRequests: 3, snsRequests: 1 });
    expect(messaging.sqs).toBeCloseTo(1.2);
    expect(messaging.sns).toBeCloseTo(0.5);
    // 1,073.741824 bytes per operation: a GB per million.
    expect(dollarsPerMillion({ ...none, logBytes: 1024 ** 3 / 1_000_000 }).logs).toBeCloseTo(0.5);
  });

  it('adds the parts up', () => {
    const price = dollarsPerMillion({
      ...none,
      apiRequests: 1,
      lambdaInvocations: 1,
      lambdaGbSeconds: 0.01,
      dynamoReadUnits: 1,
      sqsRequests: 2,
      logBytes: 500,
    });
    expect(price.total).toBeCloseTo(
      price.apiGateway + price.lambda + price.dynamoDb + price.sqs + price.sns + price.logs,
    );
    expect(price.total).toBeCloseTo(3.5 + 0.2 + 0.166667 + 0.125 + 0.8 + (500e6 / 1024 ** 3) * 0.5, 4);
  });

  it('is nothing for an operation that uses nothing', () => {
    expect(dollarsPerMillion(none).total).toBe(0);
  });
});
