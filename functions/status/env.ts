import { readEnv } from '../shared/env.js';
import { ENV } from '../shared/env-names.js';

/** Read at cold start by the status function: the dashboard it draws and the prefix of the alarms it lists. */
export const statusEnv = () =>
  readEnv({ dashboardName: ENV.dashboardName, alarmNamePrefix: ENV.alarmNamePrefix });

/** Read at cold start by the trace reader: the function log groups it searches. */
export const traceReaderEnv = () => {
  const groups = readEnv({ groups: ENV.stackLogGroups }).groups.split(',').filter(Boolean);
  if (groups.length === 0) throw new Error(`${ENV.stackLogGroups} names no log group`);
  return { groups };
};
