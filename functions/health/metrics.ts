import { Metrics } from '@aws-lambda-powertools/metrics';
import { METRIC, METRICS_NAMESPACE } from '../shared/metrics-catalog.js';
import type { HealthReport } from './domain/health.js';

/**
 * Records `Healthy` (1 up, 0 down) under each checked service's own
 * `{service}` dimension, as the catalogue names it: one EMF line per service,
 * written to this function's log (CloudWatch, or the local stack's agent,
 * turns it into the metric).
 */
export function recordHealth(report: HealthReport): void {
  for (const service of report.services) {
    const metrics = new Metrics({ namespace: METRICS_NAMESPACE, serviceName: service.name });
    metrics.addMetric(METRIC.healthy.name, METRIC.healthy.unit, service.status === 'up' ? 1 : 0);
    metrics.publishStoredMetrics();
  }
}
