import { httpHandler } from '../shared/http/middleware.js';
import { snsFeedPublisher } from '../shared/log-feed/sns-publisher.js';
import { downcase } from './domain/downcase.js';
import { downcaseEnv } from './env.js';
import { downcaseRoutes } from './routes.js';

const env = downcaseEnv();

export const handler = httpHandler(downcaseRoutes, {
  downcase: ({ query, context }) =>
    downcase(
      query.param,
      snsFeedPublisher(env.LOG_FEED_TOPIC_ARN, env.POWERTOOLS_SERVICE_NAME, context.requestId),
    ),
});
