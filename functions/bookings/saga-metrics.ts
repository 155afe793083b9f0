import { recordMetric } from '../shared/metrics.js';
import { METRIC } from '../shared/metrics-catalog.js';
import type { SagaEvents } from './domain/bookings.js';

/** The saga's metrics: SagaTransitions by target state (`{service, state}` too), SagaRepairs. */
export const sagaMetrics: SagaEvents = {
  moved: (to) => recordMetric(METRIC.sagaTransitions, 1, { state: to }),
  repaired: (count) => recordMetric(METRIC.sagaRepairs, count),
};
