/**
 * Names of the environment variables that point a function at a resource.
 * Shared by the CDK constructs (which set them while granting access) and the
 * functions' env modules (which read them), so the two never drift apart.
 * Tables are not here: a table's variable is derived from its service's
 * declaration (`tableEnv`, `readTables` in functions/shared/service.ts).
 */
export const ENV = {
  logFeedTopicArn: 'LOG_FEED_TOPIC_ARN',
  userPoolId: 'USER_POOL_ID',
  userPoolClientId: 'USER_POOL_CLIENT_ID',
  /** Stack-scoped prefix of RPC reply queue names (callers and the janitor). */
  rpcReplyQueuePrefix: 'RPC_REPLY_QUEUE_PREFIX',
  /** The dead-letter queue of the RPC requests a function serves (unreadable requests go there at once). */
  rpcDeadLetterQueueUrl: 'RPC_DLQ_URL',
  /** Where a fault test crashes a saga (`none`, `crash-after-reserve`); set only in deployments made with `-c faults=true`. */
  faultInjection: 'FAULT_INJECTION',
  liveFeedCallbackUrl: 'LIVE_FEED_CALLBACK_URL',
  liveFeedApiId: 'LIVE_FEED_API_ID',
  liveFeedStage: 'LIVE_FEED_STAGE',
  liveFeedPublicUrl: 'LIVE_FEED_PUBLIC_URL',
  /** The deployment's secret that list cursors are sealed with (functions declared with `listCursors`). */
  listCursorSecret: 'LIST_CURSOR_SECRET',
  /** The stack's CloudWatch dashboard (functions declared with `dashboard: 'read'`). */
  dashboardName: 'DASHBOARD_NAME',
  /**
   * The stack's function log groups a trace is searched in, comma-separated
   * (functions declared with `stackLogs: 'read'`; the readers' own left out).
   */
  stackLogGroups: 'STACK_LOG_GROUPS',
  /** What the names of the stack's alarms start with (`<stack>-`), for DescribeAlarms. */
  alarmNamePrefix: 'ALARM_NAME_PREFIX',
  /** Every deployed service's health checks and the resources they look at (functions declared with `healthChecks`). */
  healthChecks: 'HEALTH_CHECKS',
  /** The idempotency table of the function's service (functions serving routes that take an `Idempotency-Key`). */
  idempotencyTable: 'IDEMPOTENCY_TABLE',
  /** The stack's prefix of its live settings in SSM Parameter Store (`/Microservices/`). */
  settingsPrefix: 'SETTINGS_PREFIX',
} as const;

/** Env variable naming a service's RPC request queue, set by the CDK where a caller is allowed to call it. */
export const rpcQueueEnv = <S extends string>(service: S) =>
  `RPC_${service.toUpperCase()}_QUEUE_URL` as `RPC_${Uppercase<S>}_QUEUE_URL`;
