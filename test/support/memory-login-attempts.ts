import type { LoginAttemptStore, LoginAttempts } from '../../functions/auth/domain/login-throttle.js';

/** The login attempts table in memory, with the DynamoDB adapter's conditional replace. */
export function memoryLoginAttempts(): LoginAttemptStore & { records: Map<string, LoginAttempts> } {
  const records = new Map<string, LoginAttempts>();
  return {
    records,
    read: async (email) => records.get(email),
    async replace(email, previous, next) {
      const current = records.get(email);
      const same = previous
        ? current?.failures === previous.failures && current.windowStart === previous.windowStart
        : current === undefined;
      if (same) records.set(email, next);
      return same;
    },
    forget: async (email) => void records.delete(email),
  };
}
