import { ArnFormat, Duration, Stack } from 'aws-cdk-lib';
import {
  Alarm,
  ComparisonOperator,
  type IMetric,
  Metric,
  TreatMissingData,
} from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import { PolicyStatement, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { LambdaSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import { Construct } from 'constructs';
import {
  DIMENSION,
  METRIC,
  METRICS_NAMESPACE,
  type MetricSpec,
  QUEUE_DEPTH_METRIC,
} from '../functions/shared/metrics-catalog.js';
import { type AnyService, httpServices, rpcCallers, sagaServices } from '../functions/shared/service.js';
import { ALARM_SETTINGS, type AlarmKind, type AlarmSetting } from './alarm-settings.js';
import { deadLetterQueuesOf } from './dead-letter-queues.js';
import { output } from './outputs.js';
import type { ServiceFunction } from './service-function.js';
import { OUTPUT } from './stack-outputs.js';

type ServiceAlarmKind = Exclude<AlarmKind, 'deadLetters'>;

const COMPARISON: Record<AlarmSetting['comparison'], ComparisonOperator> = {
  atLeast: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
  above: ComparisonOperator.GREATER_THAN_THRESHOLD,
  below: ComparisonOperator.LESS_THAN_THRESHOLD,
};

/**
 * The stack's alarms and the SNS topic their state changes go to (to ALARM
 * and back to OK). The function declared with `trigger: { alarms: true }` is
 * subscribed to the topic ({@link notify}); {@link watch} makes the alarms
 * from the deployed declarations, once every service exists: per HTTP
 * service, 5xx, p99 latency and 429s; per RPC-calling service, timeouts;
 * per service recording them, saga repairs; per service, its health check;
 * and one per dead-letter queue of the stack. Each is named
 * `<stack>-<subject>-<kind>` (so DescribeAlarms with the prefix `<stack>-`
 * lists them all), described, and uses one metric with one statistic: no
 * metric math, which the local stack refuses. Thresholds: lib/alarm-settings.ts.
 */
export class StackAlarms extends Construct {
  readonly topic: Topic;
  private readonly action: SnsAction;
  private notified = false;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    this.topic = new Topic(this, 'alarm-topic', { enforceSSL: true });
    const stack = Stack.of(this);
    // Enforcing SSL gives the topic a policy, which replaces the default one CloudWatch publishes
    // through: allow CloudWatch again, for this account's alarms of this stack only.
    this.topic.addToResourcePolicy(
      new PolicyStatement({
        principals: [new ServicePrincipal('cloudwatch.amazonaws.com')],
        actions: ['sns:Publish'],
        resources: [this.topic.topicArn],
        conditions: {
          ArnLike: {
            'aws:SourceArn': stack.formatArn({
              service: 'cloudwatch',
              resource: 'alarm',
              resourceName: `${stack.stackName}-*`,
              arnFormat: ArnFormat.COLON_RESOURCE_NAME,
            }),
          },
          StringEquals: { 'aws:SourceAccount': stack.account },
        },
      }),
    );
    this.action = new SnsAction(this.topic);
    output(this, OUTPUT.alarmTopicArn, this.topic.topicArn);
  }

  /** Subscribes `fn` to every alarm state change; one function per stack. */
  notify(fn: ServiceFunction): void {
    if (this.notified) throw new Error('the alarm topic already has its function');
    this.notified = true;
    this.topic.addSubscription(new LambdaSubscription(fn.fn));
  }

  /** Makes every alarm of the deployed services and of the dead-letter queues under `root`; call once, last. */
  watch(services: readonly AnyService[], root: Construct): void {
    for (const { name } of httpServices(services)) {
      this.serviceAlarm(name, 'serverErrors', METRIC.serverErrors, `The ${name} service answered 5xx`);
      this.serviceAlarm(name, 'latencyP99', METRIC.latency, `The ${name} service is slow to answer`);
      this.serviceAlarm(
        name,
        'throttled',
        METRIC.throttled,
        `The ${name} service throttled many requests (429)`,
      );
    }
    for (const { name } of rpcCallers(services)) {
      this.serviceAlarm(
        name,
        'rpcTimeouts',
        METRIC.rpcTimeouts,
        `RPC calls made by the ${name} service timed out`,
      );
    }
    for (const { name } of sagaServices(services)) {
      this.serviceAlarm(
        name,
        'sagaRepairs',
        METRIC.sagaRepairs,
        `The saga reconciler of the ${name} service repaired work a crash or a lost message left in flight`,
      );
    }
    for (const service of services.filter((s) => !s.benchOnly)) {
      this.serviceAlarm(
        service.name,
        'unhealthy',
        METRIC.healthy,
        `The health check of the ${service.name} service failed (its tables or queues unreachable)`,
      );
    }
    for (const { label, queueName } of deadLetterQueuesOf(root)) {
      this.alarm(
        `${label}-dead-letters`,
        'deadLetters',
        new Metric({
          namespace: QUEUE_DEPTH_METRIC.namespace,
          metricName: QUEUE_DEPTH_METRIC.name,
          dimensionsMap: { [QUEUE_DEPTH_METRIC.dimension]: queueName },
        }),
        `Messages are parked in the dead-letter queue of ${label}: messages that failed every retry or could not be read (npm run dlq)`,
      );
    }
  }

  private serviceAlarm(service: string, kind: ServiceAlarmKind, metric: MetricSpec, what: string): void {
    const subject = `${service}-${KIND_SUFFIX[kind]}`;
    this.alarm(
      subject,
      kind,
      new Metric({
        namespace: METRICS_NAMESPACE,
        metricName: metric.name,
        dimensionsMap: { [DIMENSION.service]: service },
      }),
      what,
      metric.unit === 'Milliseconds' ? ' ms' : '',
    );
  }

  private alarm(subject: string, kind: AlarmKind, metric: Metric, what: string, unit = ''): Alarm {
    const setting: AlarmSetting = ALARM_SETTINGS[kind];
    const period = Duration.minutes(setting.periodMinutes);
    const measured: IMetric = metric.with({ statistic: setting.statistic, period });
    const alarm = new Alarm(this, subject, {
      alarmName: `${Stack.of(this).stackName}-${subject}`,
      alarmDescription: `${what}: ${describe(setting, unit)}. Thresholds: lib/alarm-settings.ts.`,
      metric: measured,
      threshold: setting.threshold,
      comparisonOperator: COMPARISON[setting.comparison],
      evaluationPeriods: setting.periods,
      datapointsToAlarm: setting.periods,
      treatMissingData: TreatMissingData.NOT_BREACHING,
    });
    alarm.addAlarmAction(this.action);
    alarm.addOkAction(this.action);
    return alarm;
  }
}

/** The end of each kind's alarm name. */
const KIND_SUFFIX: Record<ServiceAlarmKind, string> = {
  serverErrors: '5xx',
  latencyP99: 'p99-latency',
  throttled: 'throttled',
  rpcTimeouts: 'rpc-timeouts',
  sagaRepairs: 'saga-repairs',
  unhealthy: 'unhealthy',
};

const WORDS: Record<AlarmSetting['comparison'], string> = {
  atLeast: '>=',
  above: '>',
  below: '<',
};

/** `Sum >= 5 in 1 period of 5 min`, for descriptions; `unit` follows the threshold (` ms`). */
function describe(setting: AlarmSetting, unit: string): string {
  const periods = setting.periods === 1 ? '1 period' : `${setting.periods} consecutive periods`;
  return `${setting.statistic} ${WORDS[setting.comparison]} ${setting.threshold}${unit} in ${periods} of ${setting.periodMinutes} min`;
}
