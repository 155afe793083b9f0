import { readEnv } from '../shared/env.js';
import { ENV } from '../shared/env-names.js';
import { readTables } from '../shared/service.js';
import { usersService } from './service.js';

/** What the users HTTP function reads at cold start: its table and the user pool its people sign in to. */
export const usersEnv = () => {
  const env = readEnv([ENV.userPoolId]);
  return { table: readTables(usersService).users, userPoolId: env.USER_POOL_ID };
};
