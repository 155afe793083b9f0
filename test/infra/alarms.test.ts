import type { Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { DEPLOYABLE, SERVICES } from '../../functions/services.js';
import { METRIC, METRICS_NAMESPACE, QUEUE_DEPTH_METRIC } from '../../functions/shared/metrics-catalog.js';
import { httpServices, rpcCallers, sagaServices } from '../../functions/shared/service.js';
import { ALARM_SETTINGS } from '../../lib/alarm-settings.js';
import { FUNCTION_BUNDLE_METADATA } from '../../lib/bundles/registry.js';
import { OUTPUT, STACK_NAME } from '../../lib/stack-outputs.js';
import { type Resource, resourcesOf, stackTemplate } from '../support/stack-template.js';

type Dimension = { Name: string; Value: unknown };

let template: Template;

beforeAll(() => {
  template = stackTemplate({ benchRoutes: true });
});

const resources = (type: string) => resourcesOf(template, type);

const alarms = () => resources('AWS::CloudWatch::Alarm').map(([, r]) => r.Properties);

const topicId = () => {
  const [id] = resources('AWS::SNS::Topic').find(([logical]) => logical.startsWith('alarmsalarmtopic')) ?? [];
  if (!id) throw new Error('no alarm topic');
  return id;
};

/** The alarms on a metric of the catalogue, by the service they watch. */
function alarmsOn(metricName: string): Map<string, Record<string, unknown>> {
  return new Map(
    alarms()
      .filter((a) => a.Namespace === METRICS_NAMESPACE && a.MetricName === metricName)
      .map((a) => {
        const dims = a.Dimensions as Dimension[];
        expect(dims).toHaveLength(1);
        expect(dims[0]?.Name).toBe('service');
        return [String(dims[0]?.Value), a];
      }),
  );
}

const names = (services: readonly { name: string }[]) => services.map((s) => s.name).sort();

describe('alarms', () => {
  it('every dead-letter queue has an alarm: its AWS/SQS depth, Maximum >= 1 in a minute', () => {
    const dlqIds = resources('AWS::SQS::Queue').flatMap(([, q]) => {
      const redrive = q.Properties.RedrivePolicy as
        | { deadLetterTargetArn: { 'Fn::GetAtt': [string, string] } }
        | undefined;
      return redrive ? [redrive.deadLetterTargetArn['Fn::GetAtt'][0]] : [];
    });
    expect(dlqIds.length).toBeGreaterThanOrEqual(8);
    const watched = alarms()
      .filter((a) => a.Namespace === QUEUE_DEPTH_METRIC.namespace && a.MetricName === QUEUE_DEPTH_METRIC.name)
      .map((a) => {
        expect(a).toMatchObject({ Statistic: 'Maximum', Period: 60, EvaluationPeriods: 1, Threshold: 1 });
        expect(a.ComparisonOperator).toBe('GreaterThanOrEqualToThreshold');
        const [dim, ...others] = a.Dimensions as Dimension[];
        expect(others).toEqual([]);
        expect(dim?.Name).toBe('QueueName');
        const value = dim?.Value as { 'Fn::GetAtt': [string, string] } | undefined;
        return value?.['Fn::GetAtt'] ?? ['', ''];
      });
    expect(watched.map(([id]) => id).sort()).toEqual([...new Set(dlqIds)].sort());
    for (const [, attribute] of watched) expect(attribute).toBe('QueueName');
  });

  it('every HTTP service has a 5xx alarm and a p99 latency alarm, and one on its 429s', () => {
    const http = names(httpServices(SERVICES));
    expect(http).toEqual(
      expect.arrayContaining(['auth', 'bookings', 'downcase', 'movies', 'search', 'tasks', 'users']),
    );
    expect(http).not.toContain('bench');

    const errors = alarmsOn(METRIC.serverErrors.name);
    expect([...errors.keys()].sort()).toEqual(http);
    for (const alarm of errors.values()) {
      expect(alarm).toMatchObject({ Statistic: 'Sum', Threshold: ALARM_SETTINGS.serverErrors.threshold });
    }

    const latency = alarmsOn(METRIC.latency.name);
    expect([...latency.keys()].sort()).toEqual(http);
    for (const alarm of latency.values()) {
      expect(alarm).toMatchObject({
        ExtendedStatistic: 'p99',
        Threshold: ALARM_SETTINGS.latencyP99.threshold,
        ComparisonOperator: 'GreaterThanThreshold',
        EvaluationPeriods: 3,
        DatapointsToAlarm: 3,
        Period: 60,
      });
      expect(alarm.Statistic).toBeUndefined();
    }

    expect([...alarmsOn(METRIC.throttled.name).keys()].sort()).toEqual(http);
  });

  it('every calling service has an RPC timeout alarm, and bookings a saga repair alarm', () => {
    expect([...alarmsOn(METRIC.rpcTimeouts.name).keys()].sort()).toEqual(names(rpcCallers(DEPLOYABLE)));
    expect([...alarmsOn(METRIC.sagaRepairs.name).keys()]).toEqual(['bookings']);
    expect(names(sagaServices(SERVICES))).toEqual(['bookings']);
  });

  it('every deployed service has a health alarm: Healthy < 1 in 2 consecutive 1-minute periods', () => {
    const health = alarmsOn(METRIC.healthy.name);
    expect([...health.keys()].sort()).toEqual(names(DEPLOYABLE.filter((s) => !s.benchOnly)));
    for (const alarm of health.values()) {
      expect(alarm).toMatchObject({
        Statistic: 'Minimum',
        ComparisonOperator: 'LessThanThreshold',
        Threshold: 1,
        Period: 60,
        EvaluationPeriods: 2,
        DatapointsToAlarm: 2,
      });
    }
  });

  it('use no metric math: one metric, one statistic each, named by the catalogue', () => {
    const catalogue = new Set(Object.values(METRIC).map((m) => m.name));
    expect(alarms().length).toBeGreaterThan(30);
    for (const alarm of alarms()) {
      expect(alarm.Metrics).toBeUndefined();
      expect(typeof alarm.MetricName).toBe('string');
      expect(Boolean(alarm.Statistic) !== Boolean(alarm.ExtendedStatistic)).toBe(true);
      if (alarm.Namespace === METRICS_NAMESPACE) expect(catalogue.has(String(alarm.MetricName))).toBe(true);
      else expect(alarm.Namespace).toBe(QUEUE_DEPTH_METRIC.namespace);
    }
  });

  it('each has a unique name under the stack prefix, a description, and treats missing data as not breaching', () => {
    const all = alarms();
    const alarmNames = all.map((a) => String(a.AlarmName));
    expect(new Set(alarmNames).size).toBe(all.length);
    for (const alarm of all) {
      expect(String(alarm.AlarmName)).toMatch(new RegExp(`^${STACK_NAME}-[a-z0-9-]+$`));
      expect(String(alarm.AlarmDescription).length).toBeGreaterThan(20);
      expect(alarm.TreatMissingData).toBe('notBreaching');
    }
    expect(alarmNames).toEqual(
      expect.arrayContaining([
        'Microservices-bookings-5xx',
        'Microservices-bookings-p99-latency',
        'Microservices-bookings-saga-queue-dead-letters',
        'Microservices-log-feed-archive-dead-letters',
        'Microservices-movies-rpc-requests-dead-letters',
      ]),
    );
  });

  it('send ALARM and OK to the alarm topic, which only this stack’s alarms may publish to', () => {
    const topic = { Ref: topicId() };
    for (const alarm of alarms()) {
      expect(alarm.AlarmActions).toEqual([topic]);
      expect(alarm.OKActions).toEqual([topic]);
      expect(alarm.InsufficientDataActions).toBeUndefined();
    }
    const statements = resources('AWS::SNS::TopicPolicy')
      .filter(([, p]) => JSON.stringify(p.Properties.Topics) === JSON.stringify([topic]))
      .flatMap(
        ([, p]) => (p.Properties.PolicyDocument as { Statement: Record<string, unknown>[] }).Statement,
      );
    const allows = statements.filter((s) => s.Effect === 'Allow');
    expect(allows).toHaveLength(1);
    expect(allows[0]).toMatchObject({
      Principal: { Service: 'cloudwatch.amazonaws.com' },
      Action: 'sns:Publish',
      Resource: topic,
      Condition: {
        ArnLike: {
          'aws:SourceArn': {
            'Fn::Join': [
              '',
              expect.arrayContaining([':cloudwatch:eu-west-1:111111111111:alarm:Microservices-*']),
            ],
          },
        },
        StringEquals: { 'aws:SourceAccount': '111111111111' },
      },
    });
    template.hasOutput(OUTPUT.alarmTopicArn, { Value: topic });
  });
});

describe('the alarm topic function', () => {
  const fnId = () => {
    const [id] =
      resources('AWS::Lambda::Function').find(
        ([, r]) => r.Metadata?.[FUNCTION_BUNDLE_METADATA] === 'log-feed-alarms',
      ) ?? [];
    if (!id) throw new Error('no function runs log-feed-alarms');
    return id;
  };

  it('is the topic’s one subscriber, invoked by SNS from that topic only', () => {
    const subscriptions = resources('AWS::SNS::Subscription').filter(
      ([, s]) => JSON.stringify(s.Properties.TopicArn) === JSON.stringify({ Ref: topicId() }),
    );
    expect(subscriptions.map(([, s]) => s.Properties)).toEqual([
      expect.objectContaining({ Protocol: 'lambda', Endpoint: { 'Fn::GetAtt': [fnId(), 'Arn'] } }),
    ]);
    const permissions = resources('AWS::Lambda::Permission').filter(
      ([, p]) =>
        JSON.stringify(p.Properties.FunctionName) === JSON.stringify({ 'Fn::GetAtt': [fnId(), 'Arn'] }),
    );
    expect(permissions.map(([, p]) => p.Properties)).toEqual([
      {
        Action: 'lambda:InvokeFunction',
        FunctionName: { 'Fn::GetAtt': [fnId(), 'Arn'] },
        Principal: 'sns.amazonaws.com',
        SourceArn: { Ref: topicId() },
      },
    ]);
  });

  it('may publish to the log feed, write its own logs and read its live settings, nothing else', () => {
    const fn = template.findResources('AWS::Lambda::Function')[fnId()] as Resource;
    const role = (fn.Properties.Role as { 'Fn::GetAtt': [string, string] })['Fn::GetAtt'][0];
    const statements = resources('AWS::IAM::Policy')
      .filter(([, p]) => (p.Properties.Roles as Array<{ Ref: string }>).some((r) => r.Ref === role))
      .flatMap(
        ([, p]) => (p.Properties.PolicyDocument as { Statement: Record<string, unknown>[] }).Statement,
      );
    const [logFeedTopic] =
      resources('AWS::SNS::Topic').find(([logical]) => logical.startsWith('logfeedlogfeedtopic')) ?? [];
    expect(statements.map((s) => [s.Action, s.Resource])).toEqual(
      expect.arrayContaining([['sns:Publish', { Ref: logFeedTopic }]]),
    );
    // Reading its settings is scoped to its service's parameters by test/infra/live-settings.test.ts.
    const others = statements.filter((s) => s.Action !== 'sns:Publish');
    for (const statement of others) {
      expect(
        ([] as string[])
          .concat(statement.Action as string)
          // X-Ray's two write actions: every function's active tracing (lib/service-function.ts).
          .every((a) => /^(logs:|xray:Put)/.test(a) || a === 'ssm:GetParameter' || a === 'ssm:GetParameters'),
      ).toBe(true);
    }
    expect((fn.Properties.Environment as { Variables: Record<string, unknown> }).Variables).toEqual({
      POWERTOOLS_SERVICE_NAME: 'log-feed',
      POWERTOOLS_METRICS_NAMESPACE: 'Microservices',
      SETTINGS_PREFIX: '/Microservices/',
      LOG_FEED_TOPIC_ARN: { Ref: logFeedTopic },
    });
  });
});
