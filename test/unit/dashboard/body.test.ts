import { describe, expect, it } from 'vitest';
import { bookingsService } from '../../../functions/bookings/service.js';
import { downcaseService } from '../../../functions/downcase/service.js';
import { parseDashboardBody } from '../../../functions/shared/dashboard/body.js';
import { dashboardRows, serviceRow } from '../../../functions/shared/dashboard/layout.js';

describe('parseDashboardBody', () => {
  it('reads metric widgets top to bottom, left to right, with dimensions, stat, label and period', () => {
    const body = JSON.stringify({
      widgets: [
        {
          type: 'metric',
          x: 8,
          y: 0,
          properties: {
            title: 'errors',
            metrics: [
              [
                'Microservices',
                'Errors4xx',
                'service',
                'downcase',
                { stat: 'Sum', label: '4xx', period: 60 },
              ],
              ['.', 'Errors5xx', '.', '.', { stat: 'Sum', label: '5xx' }],
            ],
          },
        },
        { type: 'text', x: 0, y: 0, properties: { markdown: '# not a metric' } },
        {
          type: 'metric',
          x: 0,
          y: 0,
          properties: {
            title: 'requests',
            stat: 'Sum',
            period: 300,
            metrics: [['Microservices', 'Requests', 'service', 'a']],
          },
        },
      ],
    });
    expect(parseDashboardBody(body)).toEqual([
      {
        title: 'requests',
        x: 0,
        y: 0,
        series: [
          {
            namespace: 'Microservices',
            metricName: 'Requests',
            dimensions: { service: 'a' },
            stat: 'Sum',
            label: 'Requests Sum',
            period: 300,
          },
        ],
      },
      {
        title: 'errors',
        x: 8,
        y: 0,
        series: [
          {
            namespace: 'Microservices',
            metricName: 'Errors4xx',
            dimensions: { service: 'downcase' },
            stat: 'Sum',
            label: '4xx',
            period: 60,
          },
          {
            namespace: 'Microservices',
            metricName: 'Errors5xx',
            dimensions: { service: 'downcase' },
            stat: 'Sum',
            label: '5xx',
          },
        ],
      },
    ]);
  });

  it('skips metric math expressions and malformed entries, keeping the plain metrics beside them', () => {
    const body = JSON.stringify({
      widgets: [
        {
          type: 'metric',
          properties: {
            title: 'mixed',
            metrics: [
              [{ expression: 'm1 + m2', label: 'total' }],
              ['Microservices', 'Requests', 'service', { stat: 'Sum' }],
              'not an array',
              ['AWS/SQS', 'ApproximateNumberOfMessagesVisible', 'QueueName', 'q-dlq', { stat: 'Maximum' }],
            ],
          },
        },
      ],
    });
    expect(parseDashboardBody(body).flatMap((w) => w.series.map((s) => s.metricName))).toEqual([
      'ApproximateNumberOfMessagesVisible',
    ]);
  });

  it('throws on a body that is not JSON, and finds no widget in an empty dashboard', () => {
    expect(() => parseDashboardBody('not json')).toThrow();
    expect(parseDashboardBody('{}')).toEqual([]);
  });
});

describe('dashboardRows', () => {
  it('gives an HTTP service its row, a saga its states, and the DLQs their depth, from the declarations', () => {
    const rows = dashboardRows(
      [downcaseService, bookingsService],
      [{ label: 'bookings saga', queueName: 'q1' }],
    );
    expect(rows.map((r) => r.title)).toEqual([
      'downcase',
      'bookings',
      'RPC',
      'bookings saga',
      'Dead-letter queues',
    ]);
    expect(rows[0]).toEqual(serviceRow('downcase'));
    expect(rows[2]?.widgets.flatMap((w) => w.series.map((s) => s.dimensions.service))).toContain('bookings');
    expect(rows[3]?.widgets[0]?.series.map((s) => s.dimensions.state)).toEqual(bookingsService.sagaStates);
    expect(rows[4]?.widgets[0]?.series).toEqual([
      {
        namespace: 'AWS/SQS',
        metricName: 'ApproximateNumberOfMessagesVisible',
        dimensions: { QueueName: 'q1' },
        stat: 'Maximum',
        label: 'bookings saga',
      },
    ]);
  });
});
