/**
 * Names of the environment variables that point a function at a resource.
 * Shared by the CDK constructs (which set them while granting access) and the
 * functions' env modules (which read them), so the two never drift apart.
 */
export const ENV = {
  logFeedTopicArn: 'LOG_FEED_TOPIC_ARN',
  subscriberLogGroup: 'LOG_FEED_SUBSCRIBER_LOG_GROUP',
  userPoolId: 'USER_POOL_ID',
  userPoolClientId: 'USER_POOL_CLIENT_ID',
  tasksTable: 'TASKS_TABLE',
  thingsTable: 'SEARCH_THINGS_TABLE',
  cellsTable: 'SEARCH_CELLS_TABLE',
  usersTable: 'USERS_TABLE',
  moviesTable: 'MOVIES_TABLE',
  bookingsTable: 'BOOKINGS_TABLE',
  liveFeedConnectionsTable: 'LIVE_FEED_CONNECTIONS_TABLE',
  liveFeedCallbackUrl: 'LIVE_FEED_CALLBACK_URL',
  liveFeedApiId: 'LIVE_FEED_API_ID',
  liveFeedStage: 'LIVE_FEED_STAGE',
  liveFeedPublicUrl: 'LIVE_FEED_PUBLIC_URL',
} as const;

/** Env variable naming a service's RPC request queue, set by the CDK where a caller is allowed to call it. */
export const rpcQueueEnv = (service: string) => `RPC_${service.toUpperCase()}_QUEUE_URL`;
