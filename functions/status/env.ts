import { readEnv } from '../shared/env.js';
import { ENV } from '../shared/env-names.js';

/** Read at cold start by the status function: the dashboard it draws and the prefix of the alarms it lists. */
export const statusEnv = () =>
  readEnv({ dashboardName: ENV.dashboardName, alarmNamePrefix: ENV.alarmNamePrefix });
