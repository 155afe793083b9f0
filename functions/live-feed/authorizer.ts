import { userPoolFromEnv } from '../shared/identity/user-pool.js';
import { connectAuthorizer } from './connect-authorizer.js';

const pool = userPoolFromEnv();

/** `$connect` authorizer of the live feed; see {@link connectAuthorizer}. */
export const handler = connectAuthorizer(pool.tokens, pool.directory);
