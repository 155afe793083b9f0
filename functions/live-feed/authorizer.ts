import { eventHandler } from '../shared/event-handler.js';
import { userPoolFromEnv } from '../shared/identity/user-pool.js';
import { connectAuthorizer } from './connect-authorizer.js';

const pool = userPoolFromEnv();

/** `$connect` authorizer of the live feed; see {@link connectAuthorizer}. */
export const handler = eventHandler(connectAuthorizer(pool.tokens, pool.directory));
