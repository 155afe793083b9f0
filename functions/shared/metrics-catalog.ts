/**
 * Every CloudWatch metric the functions emit (EMF, through Powertools
 * Metrics), in one place: what the functions write, what the local stack's
 * EMF reader records, and what the dashboard, the alarms, the Status page and
 * `npm run stats` read. Pure: no AWS imports, so the CDK app uses it too.
 *
 * Every metric is recorded under the dimension set `{service}` (the
 * service's declared name, POWERTOOLS_SERVICE_NAME), so a service's totals
 * need no metric math; where the operation matters it is recorded under
 * `{service, operation}` too (a route name like `bookings.create`, or an RPC
 * method like `movies.reserve`). Ids never become dimensions.
 */

export const METRICS_NAMESPACE = 'Microservices';

/** The dimensions metrics are recorded under. */
export const DIMENSION = {
  service: 'service',
  /** A route name (HTTP) or `<callee service>.<method>` (RPC): bounded by the declarations. */
  operation: 'operation',
  /** A booking's target state in a saga transition. */
  state: 'state',
} as const;

export type MetricUnitName = 'Count' | 'Milliseconds';

export interface MetricSpec {
  readonly name: string;
  readonly unit: MetricUnitName;
  /** Dimension sets beside `{service}`, which every metric has. */
  readonly alsoBy?: readonly (keyof typeof DIMENSION)[];
  readonly description: string;
}

const count = (name: string, description: string, alsoBy?: MetricSpec['alsoBy']): MetricSpec => ({
  name,
  unit: 'Count',
  description,
  ...(alsoBy ? { alsoBy } : {}),
});

const timer = (name: string, description: string, alsoBy?: MetricSpec['alsoBy']): MetricSpec => ({
  name,
  unit: 'Milliseconds',
  description,
  ...(alsoBy ? { alsoBy } : {}),
});

export const METRIC = {
  // Every HTTP route, by the function that serves it.
  requests: count('Requests', 'HTTP requests answered', ['operation']),
  latency: timer('Latency', 'Time to answer an HTTP request', ['operation']),
  clientErrors: count('Errors4xx', 'HTTP requests answered 4xx', ['operation']),
  serverErrors: count('Errors5xx', 'HTTP requests answered 5xx', ['operation']),
  throttled: count('Throttled', 'Requests answered 429 by the service (login throttle, booking rate limit)', [
    'operation',
  ]),

  // Every RPC call, on the caller's side (operation: `<callee>.<method>`).
  rpcCalls: count('RpcCalls', 'RPC calls made', ['operation']),
  rpcLatency: timer('RpcLatency', 'Time from an RPC call to its reply', ['operation']),
  rpcTimeouts: count('RpcTimeouts', 'RPC calls given up at their deadline', ['operation']),
  rpcRemoteErrors: count('RpcRemoteErrors', 'RPC calls answered with an error', ['operation']),

  // Every RPC request, on the server's side (operation: `<this service>.<method>`).
  rpcHandled: count('RpcHandled', 'RPC requests handled', ['operation']),
  rpcFailed: count('RpcFailed', 'RPC requests that failed (replied with an error or retried)', ['operation']),
  rpcLate: count('RpcLate', 'RPC requests finished after their deadline', ['operation']),

  // The booking saga.
  sagaTransitions: count('SagaTransitions', 'Bookings moved to a state', ['state']),
  sagaRepairs: count('SagaRepairs', 'Bookings repaired by the reconciler'),

  // The feeds.
  feedPublished: count('FeedPublished', 'Events published on the log feed'),
  livePosted: count('LiveFeedPosted', 'Messages posted to live-feed connections'),
  liveGone: count('LiveFeedGone', 'Live-feed connections found gone or closed'),

  // Health (see the scheduled check): 1 when the service's check passed, 0 when not.
  healthy: count('Healthy', 'Health check passed (1) or failed (0)'),
} as const satisfies Record<string, MetricSpec>;

/**
 * Powertools' own cold-start metric (`captureColdStartMetric`), recorded
 * under `{service, function_name}`.
 */
export const COLD_START_METRIC = 'ColdStart';

/**
 * AWS's own depth of each SQS queue (namespace `AWS/SQS`, dimension
 * `QueueName`): published by SQS every minute on AWS, and on the local stack
 * by its agent (localstack/). The dead-letter queue alarms and the dashboard
 * read it.
 */
export const QUEUE_DEPTH_METRIC = {
  namespace: 'AWS/SQS',
  name: 'ApproximateNumberOfMessagesVisible',
  dimension: 'QueueName',
} as const;
