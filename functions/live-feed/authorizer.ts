import { userPoolFromEnv } from '../shared/identity/user-pool.js';
import { withLiveSettings } from '../shared/live-settings.js';
import { connectAuthorizer } from './connect-authorizer.js';

const pool = userPoolFromEnv();

/** `$connect` authorizer of the live feed; see {@link connectAuthorizer}. */
export const handler = withLiveSettings(connectAuthorizer(pool.tokens, pool.directory));
