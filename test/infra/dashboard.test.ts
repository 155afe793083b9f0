import type { Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { DEPLOYABLE } from '../../functions/services.js';
import { type DashboardWidget, parseDashboardBody } from '../../functions/shared/dashboard/body.js';
import { ENV } from '../../functions/shared/env-names.js';
import { METRIC, METRICS_NAMESPACE, QUEUE_DEPTH_METRIC } from '../../functions/shared/metrics-catalog.js';
import { httpServices } from '../../functions/shared/service.js';
import { FUNCTION_BUNDLE_METADATA } from '../../lib/bundles/registry.js';
import { OUTPUT, STACK_NAME } from '../../lib/stack-outputs.js';
import { resourcesOf, stackTemplate } from '../support/stack-template.js';

let template: Template;
/** The dashboard body as deployed, with every CloudFormation reference written `${LogicalId}` or `${Pseudo}`. */
let bodyText: string;
let widgets: DashboardWidget[];

const resources = (type: string) => resourcesOf(template, type);

/** A joined CloudFormation string with its references as `${Name}`, so the body parses as JSON. */
function flatten(value: unknown): string {
  if (typeof value === 'string') return value;
  const join = (value as { 'Fn::Join'?: [string, unknown[]] })['Fn::Join'];
  if (join) return join[1].map(flatten).join(join[0]);
  const ref = (value as { Ref?: string }).Ref;
  if (ref) return `\${${ref}}`;
  const att = (value as { 'Fn::GetAtt'?: [string, string] })['Fn::GetAtt'];
  if (att) return `\${${att[0]}.${att[1]}}`;
  throw new Error(`unexpected value in the dashboard body: ${JSON.stringify(value)}`);
}

beforeAll(() => {
  template = stackTemplate({ benchRoutes: true });
  const dashboards = resources('AWS::CloudWatch::Dashboard');
  expect(dashboards).toHaveLength(1);
  bodyText = flatten(dashboards[0]?.[1].Properties.DashboardBody);
  widgets = parseDashboardBody(bodyText);
});

describe('dashboard', () => {
  it('has a row per service serving HTTP routes: requests, 4xx and 5xx, latency p50 and p99 under {service}', () => {
    const services = httpServices(DEPLOYABLE).map((s) => s.name);
    expect(services).toEqual(expect.arrayContaining(['downcase', 'bookings', 'status', 'docs', 'console']));
    const rows = new Map<number, DashboardWidget[]>();
    for (const widget of widgets) rows.set(widget.y, [...(rows.get(widget.y) ?? []), widget]);
    for (const service of services) {
      const row = [...rows.values()].find((ws) =>
        ws.every((w) => w.series.every((s) => s.dimensions.service === service)),
      );
      expect(row, service).toBeDefined();
      const drawn = (row ?? [])
        .flatMap((w) => w.series)
        .map((s) => `${s.namespace} ${s.metricName} ${s.stat}`);
      expect(drawn.sort(), service).toEqual(
        [
          `${METRICS_NAMESPACE} ${METRIC.requests.name} Sum`,
          `${METRICS_NAMESPACE} ${METRIC.clientErrors.name} Sum`,
          `${METRICS_NAMESPACE} ${METRIC.serverErrors.name} Sum`,
          `${METRICS_NAMESPACE} ${METRIC.latency.name} p50`,
          `${METRICS_NAMESPACE} ${METRIC.latency.name} p99`,
        ].sort(),
      );
      for (const series of (row ?? []).flatMap((w) => w.series))
        expect(series.dimensions, service).toEqual({ service });
    }
    const serviceRows = [...rows.values()].filter((ws) =>
      ws.some((w) => w.series.some((s) => s.metricName === METRIC.requests.name)),
    );
    expect(serviceRows).toHaveLength(services.length);
  });

  it('has RPC calls, timeouts, remote errors and latency for every calling service, and the saga by state', () => {
    const by = (name: string) =>
      widgets
        .flatMap((w) => w.series)
        .filter((s) => s.metricName === name && s.namespace === METRICS_NAMESPACE);
    const callers = DEPLOYABLE.filter((s) =>
      Object.values(s.functions).some((fn) => (fn.calls ?? []).length > 0),
    )
      .map((s) => s.name)
      .sort();
    expect(callers).toEqual(['auth', 'bookings', 'users']);
    for (const metric of [METRIC.rpcCalls, METRIC.rpcTimeouts, METRIC.rpcRemoteErrors, METRIC.rpcLatency])
      expect([...new Set(by(metric.name).map((s) => s.dimensions.service))].sort(), metric.name).toEqual(
        callers,
      );
    expect(by(METRIC.sagaTransitions.name).map((s) => s.dimensions)).toEqual(
      ['pending', 'confirmed', 'cancelling', 'cancelled', 'releasing', 'released'].map((state) => ({
        service: 'bookings',
        state,
      })),
    );
    expect(by(METRIC.sagaRepairs.name).map((s) => s.dimensions)).toEqual([{ service: 'bookings' }]);
  });

  it('shows the depth of every dead-letter queue of the stack, and only those', () => {
    const dlqs = new Set(
      resources('AWS::SQS::Queue')
        .map(
          ([, q]) =>
            q.Properties.RedrivePolicy?.deadLetterTargetArn?.['Fn::GetAtt']?.[0] as string | undefined,
        )
        .filter((id): id is string => id !== undefined),
    );
    expect(dlqs.size).toBeGreaterThanOrEqual(8);
    const drawn = widgets
      .flatMap((w) => w.series)
      .filter(
        (s) => s.namespace === QUEUE_DEPTH_METRIC.namespace && s.metricName === QUEUE_DEPTH_METRIC.name,
      );
    expect(drawn.map((s) => s.dimensions.QueueName).sort()).toEqual(
      [...dlqs].map((id) => `\${${id}.QueueName}`).sort(),
    );
    for (const series of drawn) expect(series.stat).toBe('Maximum');
    // Each named apart: its service and queue, as the alarms name them.
    expect(new Set(drawn.map((s) => s.label)).size).toBe(drawn.length);
    expect(drawn.map((s) => s.label)).toEqual(
      expect.arrayContaining(['bookings-saga-queue', 'log-feed-archive']),
    );
  });

  it('uses no metric math: every series is one metric with one statistic', () => {
    const entries = (
      JSON.parse(bodyText).widgets as Array<{ properties: { metrics?: unknown[][] } }>
    ).flatMap((w) => w.properties.metrics ?? []);
    expect(entries.length).toBe(widgets.flatMap((w) => w.series).length);
    for (const entry of entries) {
      const options = entry[entry.length - 1] as Record<string, unknown>;
      expect(Object.keys(options).sort()).toEqual(['label', 'period', 'stat']);
      expect(String(options.stat)).toMatch(/^(Sum|Maximum|p50|p99)$/);
    }
    expect(bodyText).not.toMatch(/"expression"|SEARCH\(|METRICS\(/);
  });

  it('is named in the stack outputs, and the status function is told its name and the alarm prefix', () => {
    const name = `${STACK_NAME}-operations`;
    template.hasResourceProperties('AWS::CloudWatch::Dashboard', { DashboardName: name });
    template.hasOutput(OUTPUT.dashboardName, { Value: name });
    const [, status] =
      resources('AWS::Lambda::Function').find(
        ([, fn]) => fn.Metadata?.[FUNCTION_BUNDLE_METADATA] === 'status',
      ) ?? [];
    expect(status?.Properties.Environment.Variables).toMatchObject({
      [ENV.dashboardName]: name,
      [ENV.alarmNamePrefix]: `${STACK_NAME}-`,
    });
  });
});

describe('reading the dashboard, its metrics and the alarms', () => {
  const READS = ['cloudwatch:GetDashboard', 'cloudwatch:GetMetricData', 'cloudwatch:DescribeAlarms'];

  it('is allowed to the status function alone: GetDashboard on this dashboard, DescribeAlarms on the stack’s alarms', () => {
    const [, status] =
      resources('AWS::Lambda::Function').find(
        ([, fn]) => fn.Metadata?.[FUNCTION_BUNDLE_METADATA] === 'status',
      ) ?? [];
    const statusRole = status?.Properties.Role['Fn::GetAtt'][0];
    expect(statusRole).toBeDefined();
    const granted = resources('AWS::IAM::Policy').flatMap(([, policy]) =>
      (policy.Properties.PolicyDocument.Statement as Array<Record<string, unknown>>)
        .filter((s) => ([] as unknown[]).concat(s.Action).some((a) => String(a).startsWith('cloudwatch:')))
        .map((statement) => ({
          roles: (policy.Properties.Roles as Array<{ Ref: string }>).map((r) => r.Ref),
          actions: ([] as unknown[]).concat(statement.Action),
          resource: flatten(statement.Resource),
        })),
    );
    expect(granted).toEqual([
      {
        roles: [statusRole],
        actions: ['cloudwatch:GetDashboard'],
        resource: `arn:\${AWS::Partition}:cloudwatch::111111111111:dashboard/${STACK_NAME}-operations`,
      },
      // GetMetricData has no resource type: IAM allows it only on `*`.
      { roles: [statusRole], actions: ['cloudwatch:GetMetricData'], resource: '*' },
      {
        roles: [statusRole],
        actions: ['cloudwatch:DescribeAlarms'],
        resource: `arn:\${AWS::Partition}:cloudwatch:eu-west-1:111111111111:alarm:${STACK_NAME}-*`,
      },
    ]);
    for (const action of READS) expect(granted.flatMap((g) => g.actions)).toContain(action);
  });
});
