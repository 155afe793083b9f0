import type { MiddlewareObj } from '@middy/core';
import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context } from 'aws-lambda';
import { readEnv } from '../env.js';
import { captureColdStart, flushMetrics, recordMetric } from '../metrics.js';
import { METRIC } from '../metrics-catalog.js';

/**
 * The metrics of every HTTP request, outermost in the middleware chain so
 * that they see the final status (after the error mapping) and the whole
 * time: Requests, Latency, Errors4xx, Errors5xx and Throttled (429s), under
 * `{service}` and `{service, operation=<service>.<route name>}`. The error
 * counts are written as 0 too, so a graph or an alarm sees a quiet minute as
 * 0, not as missing data. Writes everything the request recorded (its RPC
 * calls, its feed events too) once, as it ends, and counts cold starts.
 */
export function requestMetrics(
  routeNameOf: (event: APIGatewayProxyEvent) => string | undefined,
): MiddlewareObj<APIGatewayProxyEvent, APIGatewayProxyResult, Error, Context> {
  const { POWERTOOLS_SERVICE_NAME: service } = readEnv(['POWERTOOLS_SERVICE_NAME']);
  const started = new WeakMap<object, number>();
  const record = (request: { event: APIGatewayProxyEvent; response?: APIGatewayProxyResult | null }) => {
    const status = request.response?.statusCode ?? 500;
    const route = routeNameOf(request.event);
    // A request for no declared route has no operation: its name would come from the caller.
    const by = route ? { operation: `${service}.${route}` } : {};
    recordMetric(METRIC.requests, 1, by);
    recordMetric(METRIC.latency, performance.now() - (started.get(request) ?? performance.now()), by);
    recordMetric(METRIC.clientErrors, status >= 400 && status < 500 ? 1 : 0, by);
    recordMetric(METRIC.serverErrors, status >= 500 ? 1 : 0, by);
    recordMetric(METRIC.throttled, status === 429 ? 1 : 0, by);
    flushMetrics();
  };
  return {
    before: (request) => {
      started.set(request, performance.now());
      captureColdStart(request.context);
    },
    after: record,
    onError: record,
  };
}
