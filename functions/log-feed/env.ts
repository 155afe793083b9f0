import { readEnv } from '../shared/env.js';
import { ENV } from '../shared/env-names.js';

/** Read at cold start by the subscriber. */
export const subscriberEnv = () => readEnv([ENV.subscriberLogGroup]);

/** Read at cold start by the error forwarder. */
export const forwarderEnv = () => readEnv([ENV.logFeedTopicArn]);
