/**
 * The stack's alarm thresholds, in one place, each with why it is what it
 * is. lib/alarms.ts makes the alarms from these; the README lists them.
 * No aws-cdk-lib here: the tests and the README read it as plain data.
 *
 * Missing data is treated as not breaching for every alarm: these metrics
 * are recorded only when something happens (a request, an error, a
 * timeout, a repair, a check), so a quiet period is no traffic, not a
 * failure, and an alarm must not stay in ALARM (or INSUFFICIENT_DATA) for
 * want of requests. On the local stack this also matters because MiniStack
 * evaluates alarms only when data arrives.
 */

/** A comparison of one statistic over `periods` consecutive periods of `periodMinutes`. */
export interface AlarmSetting {
  /** `Sum`, `Maximum`, `Minimum`, or a percentile such as `p99`. */
  statistic: string;
  comparison: 'atLeast' | 'above' | 'below';
  threshold: number;
  periodMinutes: number;
  /** Consecutive periods that must all breach. */
  periods: number;
}

export const ALARM_SETTINGS = {
  /**
   * 5 or more 5xx answers of one service in 5 minutes. A single 5xx can be a
   * request racing a deploy or a cold start timing out; five in five minutes
   * is a pattern someone should look at.
   */
  serverErrors: { statistic: 'Sum', comparison: 'atLeast', threshold: 5, periodMinutes: 5, periods: 1 },
  /**
   * p99 latency of one service above 3 s for 3 minutes in a row. Warm routes
   * answer in tens of ms and a cold start adds about a second; calls over RPC
   * give up at 5 s (a 504). A p99 past 3 s for three minutes means people
   * wait, not one cold start.
   */
  latencyP99: { statistic: 'p99', comparison: 'above', threshold: 3000, periodMinutes: 1, periods: 3 },
  /**
   * 20 or more 429s from one service in 5 minutes. The login throttle and
   * the booking rate limit are defences working as meant, and a person
   * retrying a mistyped password meets them a few times; twenty in five
   * minutes is a guesser or a runaway client.
   */
  throttled: { statistic: 'Sum', comparison: 'atLeast', threshold: 20, periodMinutes: 5, periods: 1 },
  /**
   * 3 or more RPC calls of one calling service given up at their deadline in
   * 5 minutes. A callee's cold start can cost one; three in five minutes
   * means a callee is down or too slow, and bookings are left to the saga's
   * repairs.
   */
  rpcTimeouts: { statistic: 'Sum', comparison: 'atLeast', threshold: 3, periodMinutes: 5, periods: 1 },
  /**
   * Any booking repaired by the reconciler within 5 minutes. A repair means a
   * crash or a lost message left a booking in flight: rare, and each is worth
   * a look. Five minutes spans several runs of the reconciler (every minute).
   */
  sagaRepairs: { statistic: 'Sum', comparison: 'atLeast', threshold: 1, periodMinutes: 5, periods: 1 },
  /**
   * Any message in a dead-letter queue (its depth's Maximum over a minute).
   * A parked message is a request that failed every retry or could not be
   * read: never normal, and it waits for someone (`npm run dlq`).
   */
  deadLetters: { statistic: 'Maximum', comparison: 'atLeast', threshold: 1, periodMinutes: 1, periods: 1 },
  /**
   * A service's health check failed (`Healthy` below 1) in 2 consecutive
   * 1-minute periods. The check runs every minute; one failure can be a
   * blip (a throttled call), two in a row is a service that is down.
   */
  unhealthy: { statistic: 'Minimum', comparison: 'below', threshold: 1, periodMinutes: 1, periods: 2 },
} as const satisfies Record<string, AlarmSetting>;

export type AlarmKind = keyof typeof ALARM_SETTINGS;
