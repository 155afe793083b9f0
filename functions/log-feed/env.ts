import { readEnv } from '../shared/env.js';
import { ENV } from '../shared/env-names.js';
import { logGroupEnv } from '../shared/service.js';

const SUBSCRIBER_LOG_GROUP = logGroupEnv('log-feed', 'subscriber');

/** Read at cold start by the subscriber. */
export const subscriberEnv = () => readEnv({ logGroup: SUBSCRIBER_LOG_GROUP });

/** Read at cold start by the error forwarder. */
export const forwarderEnv = () => readEnv([ENV.logFeedTopicArn]);

/** Read at cold start by the function that publishes alarm state changes. */
export const alarmsEnv = () => readEnv([ENV.logFeedTopicArn]);
