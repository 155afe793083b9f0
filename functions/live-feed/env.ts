import { readEnv } from '../shared/env.js';
import { ENV } from '../shared/env-names.js';
import { readTables } from '../shared/service.js';
import { liveFeedService } from './service.js';

/** The connections table's name, read at cold start by the `$connect`/`$disconnect` handler and the broadcaster. */
export const connectionsTable = () => readTables(liveFeedService).connections;

/** Read at cold start by the broadcaster: where it posts to and closes connections. */
export const broadcasterEnv = () => readEnv([ENV.liveFeedCallbackUrl, ENV.liveFeedApiId, ENV.liveFeedStage]);
