import { describe, expect, it } from 'vitest';
import {
  ALARM_EVENT,
  alarmFeedMessage,
  alarmFeedMessages,
  NotAnAlarmError,
  parseAlarmMessage,
} from '../../../functions/log-feed/domain/alarms.js';

/** A notification as AWS CloudWatch sends it to SNS (its documented shape). */
const awsNotification = {
  AlarmName: 'Microservices-bookings-5xx',
  AlarmDescription: 'bookings answered 5xx: Sum >= 5 in 1 period of 5 min.',
  AWSAccountId: '111111111111',
  AlarmConfigurationUpdatedTimestamp: '2026-12-04T04:00:00.000+0000',
  NewStateValue: 'ALARM',
  NewStateReason:
    'Threshold Crossed: 1 out of the last 1 datapoints [7.0 (04/12/26 04:55:00)] was greater than or equal to the threshold (5.0).',
  StateChangeTime: '2026-12-04T05:00:12.345+0000',
  Region: 'EU (Ireland)',
  AlarmArn: 'arn:aws:cloudwatch:eu-west-1:111111111111:alarm:Microservices-bookings-5xx',
  OldStateValue: 'OK',
  OKActions: ['arn:aws:sns:eu-west-1:111111111111:alarms'],
  AlarmActions: ['arn:aws:sns:eu-west-1:111111111111:alarms'],
  InsufficientDataActions: [],
  Trigger: {
    MetricName: 'Errors5xx',
    Namespace: 'Microservices',
    StatisticType: 'Statistic',
    Statistic: 'SUM',
    Unit: null,
    Dimensions: [{ value: 'bookings', name: 'service' }],
    Period: 300,
    EvaluationPeriods: 1,
    DatapointsToAlarm: 1,
    ComparisonOperator: 'GreaterThanOrEqualToThreshold',
    Threshold: 5,
    TreatMissingData: 'notBreaching',
    EvaluateLowSampleCountPercentile: '',
  },
};

/** The same kind of notification as MiniStack 1.5.33 sends it (services/cloudwatch.py, _dispatch_alarm_actions). */
const ministackNotification = {
  AlarmName: 'Microservices-bookings-saga-queue-dead-letters',
  AlarmDescription: 'Messages are parked in the dead-letter queue of bookings-saga-queue',
  AWSAccountId: '000000000000',
  NewStateValue: 'OK',
  NewStateReason: 'Threshold Crossed: Maximum 0.0 GreaterThanOrEqualToThreshold 1.0',
  StateChangeTime: '2026-12-04T05:01:00Z',
  Region: 'us-east-1',
  OldStateValue: 'ALARM',
  Trigger: {
    MetricName: 'ApproximateNumberOfMessagesVisible',
    Namespace: 'AWS/SQS',
    Statistic: 'Maximum',
    Unit: null,
    Period: 60,
    EvaluationPeriods: 1,
    ComparisonOperator: 'GreaterThanOrEqualToThreshold',
    Threshold: 1.0,
    Dimensions: [{ Name: 'QueueName', Value: 'Microservices-bookingsservicesagaqueuedlq-ABC' }],
  },
};

describe('alarm topic messages', () => {
  it("read AWS's notification: name, states, reason, time in UTC, and the service it watches", () => {
    expect(parseAlarmMessage(JSON.stringify(awsNotification))).toEqual({
      alarm: 'Microservices-bookings-5xx',
      state: 'ALARM',
      previousState: 'OK',
      reason: awsNotification.NewStateReason,
      time: '2026-12-04T05:00:12.345Z',
      description: awsNotification.AlarmDescription,
      service: 'bookings',
    });
  });

  it("read MiniStack's notification (second-precision time, capitalised dimensions)", () => {
    expect(parseAlarmMessage(JSON.stringify(ministackNotification))).toEqual({
      alarm: 'Microservices-bookings-saga-queue-dead-letters',
      state: 'OK',
      previousState: 'ALARM',
      reason: 'Threshold Crossed: Maximum 0.0 GreaterThanOrEqualToThreshold 1.0',
      time: '2026-12-04T05:01:00.000Z',
      description: ministackNotification.AlarmDescription,
    });
  });

  it('read a notification with no trigger or description', () => {
    const { Trigger: _trigger, AlarmDescription: _description, ...bare } = ministackNotification;
    expect(parseAlarmMessage(JSON.stringify({ ...bare, AlarmDescription: null }))).toEqual({
      alarm: bare.AlarmName,
      state: 'OK',
      previousState: 'ALARM',
      reason: bare.NewStateReason,
      time: '2026-12-04T05:01:00.000Z',
    });
  });

  it.each([
    ['not JSON', 'Threshold crossed!', 'the message is not JSON'],
    ['JSON but no object', '42', '(message)'],
    ['no alarm name', JSON.stringify({ ...awsNotification, AlarmName: undefined }), 'AlarmName'],
    ['an empty alarm name', JSON.stringify({ ...awsNotification, AlarmName: '' }), 'AlarmName'],
    ['an unknown state', JSON.stringify({ ...awsNotification, NewStateValue: 'ON_FIRE' }), 'NewStateValue'],
    ['no previous state', JSON.stringify({ ...awsNotification, OldStateValue: undefined }), 'OldStateValue'],
    [
      'a time that is not one',
      JSON.stringify({ ...awsNotification, StateChangeTime: 'noon' }),
      'StateChangeTime is not a time',
    ],
    [
      'a log-feed message',
      JSON.stringify({ timestamp: 'x', service: 'x', type: 'x', requestId: 'r' }),
      'AlarmName',
    ],
  ])('refuse %s, naming what is wrong', (_case, message, problem) => {
    expect(() => parseAlarmMessage(message)).toThrow(NotAnAlarmError);
    expect(() => parseAlarmMessage(message)).toThrow(problem);
  });
});

describe('alarm events on the log feed', () => {
  it('are `alarm` messages stamped with the change time, under the watched service, with the notification id', () => {
    const alarm = parseAlarmMessage(JSON.stringify(awsNotification));
    expect(alarmFeedMessage(alarm, 'sns-1')).toEqual({
      timestamp: '2026-12-04T05:00:12.345Z',
      service: 'bookings',
      type: ALARM_EVENT,
      requestId: 'sns-1',
      data: alarm,
    });
    expect(ALARM_EVENT).toBe('alarm');
  });

  it("go under `alarms` when the alarm watches no service (a dead-letter queue's)", () => {
    const alarm = parseAlarmMessage(JSON.stringify(ministackNotification));
    expect(alarmFeedMessage(alarm, 'sns-2')).toMatchObject({
      service: 'alarms',
      type: 'alarm',
      requestId: 'sns-2',
    });
  });

  it('are made for every state change of a delivery; the rest are reported with their problem', () => {
    const { messages, rejected } = alarmFeedMessages([
      { id: 'a', message: JSON.stringify(awsNotification) },
      { id: 'b', message: 'garbage' },
      { id: 'c', message: JSON.stringify(ministackNotification) },
    ]);
    expect(messages.map((m) => [m.requestId, (m.data as { state: string }).state])).toEqual([
      ['a', 'ALARM'],
      ['c', 'OK'],
    ]);
    expect(rejected).toEqual([{ id: 'b', problem: 'the message is not JSON' }]);
  });

  it("leave out a new alarm's first OK (INSUFFICIENT_DATA to OK), but not its first ALARM", () => {
    const first = (state: string) =>
      JSON.stringify({ ...ministackNotification, OldStateValue: 'INSUFFICIENT_DATA', NewStateValue: state });
    const { messages, rejected } = alarmFeedMessages([
      { id: 'ok', message: first('OK') },
      { id: 'alarm', message: first('ALARM') },
    ]);
    expect(messages.map((m) => m.requestId)).toEqual(['alarm']);
    expect(rejected).toEqual([]);
  });
});
