import { describe, expect, it } from 'vitest';
import { collectStats, formatStats, planStats, windowPeriod } from '../../../bin/stats-report.js';
import { bookingsService } from '../../../functions/bookings/service.js';
import { downcaseService } from '../../../functions/downcase/service.js';
import { parseDashboardBody } from '../../../functions/shared/dashboard/body.js';
import { dashboardRows } from '../../../functions/shared/dashboard/layout.js';

/** The dashboard of two services as its body would read back. */
function widgetsOf() {
  const rows = dashboardRows([downcaseService, bookingsService], [{ label: 'x', queueName: 'x-dlq' }]);
  const body = {
    widgets: rows.flatMap((row, y) =>
      row.widgets.map((w, x) => ({
        type: 'metric',
        x: x * 8,
        y: y * 6,
        properties: {
          title: w.title,
          metrics: w.series.map((s) => [
            s.namespace,
            s.metricName,
            ...Object.entries(s.dimensions).flat(),
            { stat: s.stat, label: s.label, period: 60 },
          ]),
        },
      })),
    ),
  };
  return parseDashboardBody(JSON.stringify(body));
}

describe('npm run stats', () => {
  it("reads each HTTP service's requests, 4xx, 5xx, p50 and p99 over the window as one period, nothing else", () => {
    const plan = planStats(widgetsOf(), 900);
    expect(plan.services).toEqual(['downcase', 'bookings']);
    expect(plan.targets.map((t) => `${t.service} ${t.figure}`)).toEqual([
      'downcase requests',
      'downcase clientErrors',
      'downcase serverErrors',
      'downcase p50',
      'downcase p99',
      'bookings requests',
      'bookings clientErrors',
      'bookings serverErrors',
      'bookings p50',
      'bookings p99',
    ]);
    expect(plan.queries.every((q) => q.period === 900)).toBe(true);
    expect(windowPeriod(90)).toBe(120);
  });

  it('adds up counts, keeps the larger percentile of two periods, and leaves latency empty without data', () => {
    const plan = planStats(widgetsOf(), 900);
    const at = [new Date('2026-12-04T10:00:00Z')];
    const points = plan.targets.map(({ service, figure }) => {
      if (service === 'bookings') return { timestamps: [], values: [] };
      const values = { requests: [7, 5], clientErrors: [2], serverErrors: [1], p50: [8.25], p99: [30, 44.5] }[
        figure
      ];
      return { timestamps: values.map(() => at[0] as Date), values };
    });
    expect(collectStats(plan, points)).toEqual([
      { service: 'downcase', requests: 12, errors: 3, p50: 8.25, p99: 44.5 },
      { service: 'bookings', requests: 0, errors: 0, p50: undefined, p99: undefined },
    ]);
  });

  it('prints a title with the window and its times, then aligned columns, a line per service', () => {
    const text = formatStats(
      [
        { service: 'downcase', requests: 1200, errors: 3, p50: 8.25, p99: 44.5 },
        { service: 'bookings', requests: 0, errors: 0, p50: undefined, p99: undefined },
      ],
      'Microservices-operations',
      900,
      new Date('2026-12-04T10:15:00Z'),
    );
    expect(text.split('\n')).toEqual([
      'Microservices-operations: last 15m (10:00:00 to 10:15:00 UTC)',
      'service   requests  errors  p50 ms  p99 ms',
      'downcase      1200       3     8.3    44.5',
      'bookings         0       0       -       -',
    ]);
  });
});
