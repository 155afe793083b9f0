import { readEnv } from '../shared/env.js';
import { ENV } from '../shared/env-names.js';
import { readTables } from '../shared/service.js';
import { authService } from './service.js';

/** Read at cold start by the signup/login handler: the pool, its app client, and the login attempts table. */
export const authEnv = () => ({
  ...readEnv([ENV.userPoolId, ENV.userPoolClientId]),
  tables: readTables(authService),
});
