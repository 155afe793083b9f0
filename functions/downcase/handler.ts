import { httpHandler } from '../shared/http/middleware.js';
import { snsFeedPublisher } from '../shared/log-feed/sns-publisher.js';
import { downcase } from './domain/downcase.js';
import { env } from './env.js';
import { downcaseRoutes } from './routes.js';

export const handler = httpHandler(downcaseRoutes, {
  downcase: ({ query, context }) =>
    downcase(
      query.param,
      snsFeedPublisher(env.LOG_FEED_TOPIC_ARN, env.POWERTOOLS_SERVICE_NAME, context.requestId),
    ),
});
