/**
 * The stack's CloudWatch dashboard, drawn from the service declarations
 * (functions/shared/dashboard/layout.ts): a row per HTTP service, RPC by
 * caller, each saga, and the depth of every dead-letter queue of the stack.
 * Only plain metrics with one statistic each: no metric math, which the
 * local stack rejects. Its name is a stack output (`DashboardName`), and the
 * functions declared with `dashboard: 'read'` (the Status route) are the
 * only ones that may read it.
 */
import { ArnFormat, Duration, Stack } from 'aws-cdk-lib';
import { Dashboard, GraphWidget, Metric } from 'aws-cdk-lib/aws-cloudwatch';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { dashboardRows, type SeriesSpec } from '../functions/shared/dashboard/layout.js';
import { ENV } from '../functions/shared/env-names.js';
import type { AnyService } from '../functions/shared/service.js';
import { deadLetterQueuesOf } from './dead-letter-queues.js';
import { output } from './outputs.js';
import type { ServiceFunction } from './service-function.js';
import { OUTPUT } from './stack-outputs.js';

/** The dashboard's grid is 24 columns wide. */
const GRID_WIDTH = 24;
const WIDGET_HEIGHT = 6;
/** The finest period AWS keeps standard metrics at, so short windows still show a shape. */
const PERIOD = Duration.minutes(1);

export class OperationsDashboard extends Construct {
  readonly dashboard: Dashboard;
  readonly dashboardName: string;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    const stack = Stack.of(this);
    // Named, so the Status function's grant and env can name it before the widgets are drawn.
    this.dashboardName = `${stack.stackName}-operations`;
    this.dashboard = new Dashboard(this, 'dashboard', { dashboardName: this.dashboardName });
    output(this, OUTPUT.dashboardName, this.dashboardName);
  }

  /** Draws the rows of the deployed services and every dead-letter queue under `root`; call once, last. */
  draw(services: readonly AnyService[], root: Construct): void {
    for (const row of dashboardRows(services, deadLetterQueuesOf(root))) {
      const width = Math.floor(GRID_WIDTH / row.widgets.length);
      this.dashboard.addWidgets(
        ...row.widgets.map(
          (widget) =>
            new GraphWidget({
              title: widget.title,
              width,
              height: WIDGET_HEIGHT,
              left: widget.series.map(metricOf),
              leftYAxis: { label: widget.unit, showUnits: false, min: 0 },
            }),
        ),
      );
    }
  }

  /**
   * Lets a function read this dashboard (GetDashboard on it alone), the
   * metrics it shows (GetMetricData, which takes no resource) and the stack's
   * alarms (DescribeAlarms on `<stack>-*`), telling it the dashboard's name
   * and the alarms' prefix.
   */
  allowReading(fn: ServiceFunction): void {
    const stack = Stack.of(this);
    const alarmPrefix = `${stack.stackName}-`;
    fn.fn.addToRolePolicy(
      new PolicyStatement({
        actions: ['cloudwatch:GetDashboard'],
        resources: [
          stack.formatArn({
            service: 'cloudwatch',
            region: '',
            resource: 'dashboard',
            resourceName: this.dashboardName,
            arnFormat: ArnFormat.SLASH_RESOURCE_NAME,
          }),
        ],
      }),
    );
    fn.fn.addToRolePolicy(new PolicyStatement({ actions: ['cloudwatch:GetMetricData'], resources: ['*'] }));
    fn.fn.addToRolePolicy(
      new PolicyStatement({
        actions: ['cloudwatch:DescribeAlarms'],
        resources: [
          stack.formatArn({
            service: 'cloudwatch',
            resource: 'alarm',
            resourceName: `${alarmPrefix}*`,
            arnFormat: ArnFormat.COLON_RESOURCE_NAME,
          }),
        ],
      }),
    );
    fn.setEnv(ENV.dashboardName, this.dashboardName);
    fn.setEnv(ENV.alarmNamePrefix, alarmPrefix);
  }
}

function metricOf(series: SeriesSpec): Metric {
  return new Metric({
    namespace: series.namespace,
    metricName: series.metricName,
    dimensionsMap: { ...series.dimensions },
    statistic: series.stat,
    label: series.label,
    period: PERIOD,
  });
}
