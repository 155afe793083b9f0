import { readEnv } from '../shared/env.js';
import { ENV } from '../shared/env-names.js';
import { readTables } from '../shared/service.js';
import { usersService } from './service.js';

/** Read at cold start by the users RPC function: its table. */
export const profilesEnv = () => ({ table: readTables(usersService).users });

/** Read at cold start by the users HTTP function: its table and the user pool its people sign in to. */
export const usersEnv = () => {
  const env = readEnv([ENV.userPoolId]);
  return { table: readTables(usersService).users, userPoolId: env.USER_POOL_ID };
};
