import { httpHandler } from '../shared/http/middleware.js';
import { accessTokensFromEnv } from '../shared/identity/access-tokens.js';
import { snsFeedPublisher } from '../shared/log-feed/sns-publisher.js';
import { downcase } from './domain/downcase.js';
import { downcaseEnv } from './env.js';
import { downcaseRoutes } from './routes.js';

const env = downcaseEnv();
const tokens = accessTokensFromEnv();

export const handler = httpHandler(downcaseRoutes, {
  downcase: async ({ query, context, authorization }) =>
    downcase(
      query.param,
      snsFeedPublisher(env.LOG_FEED_TOPIC_ARN, env.POWERTOOLS_SERVICE_NAME, context.requestId),
      await tokens.signedInUserOf(authorization),
    ),
});
