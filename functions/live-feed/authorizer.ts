import { userPoolFromEnv } from '../shared/identity/user-pool.js';
import { withMetrics } from '../shared/metrics.js';
import { connectAuthorizer } from './connect-authorizer.js';

const pool = userPoolFromEnv();

/** `$connect` authorizer of the live feed; see {@link connectAuthorizer}. */
export const handler = withMetrics(connectAuthorizer(pool.tokens, pool.directory));
