/**
 * Alarm state changes, as CloudWatch sends them to the alarm topic, turned
 * into `alarm` events of the log feed. Pure: no AWS imports.
 *
 * Two senders, one event: AWS CloudWatch (its documented notification:
 * `AlarmName`, `NewStateValue`, `OldStateValue`, `NewStateReason`,
 * `StateChangeTime` like `2026-12-04T05:00:00.123+0000`, `Trigger.Dimensions`
 * as `{name, value}`), and the local stack's MiniStack (the same keys, with
 * `StateChangeTime` like `2026-12-04T05:00:00Z` and `Trigger.Dimensions` as
 * `{Name, Value}`, as the alarm was defined).
 */
import * as z from 'zod/mini';
import type { FeedMessage } from '../../shared/log-feed/event.js';
import { feedMessage } from '../../shared/log-feed/event.js';
import { DIMENSION } from '../../shared/metrics-catalog.js';
import '../../shared/zod-locale.js';

/** The feed event type of an alarm state change. */
export const ALARM_EVENT = 'alarm';

/** The feed `service` of an alarm that watches no one service (a dead-letter queue's). */
export const ALARMS_SERVICE = 'alarms';

const state = z.enum(['OK', 'ALARM', 'INSUFFICIENT_DATA']);

/** A dimension as AWS sends it (`name`, `value`) or as MiniStack does (`Name`, `Value`). */
const dimension = z.union([
  z.object({ name: z.string(), value: z.string() }),
  z.object({ Name: z.string(), Value: z.string() }),
]);

const notification = z.object({
  AlarmName: z.string().check(z.minLength(1)),
  AlarmDescription: z.optional(z.nullable(z.string())),
  NewStateValue: state,
  OldStateValue: state,
  NewStateReason: z.string(),
  StateChangeTime: z.string().check(z.refine((value) => !Number.isNaN(Date.parse(value)), 'is not a time')),
  Trigger: z.optional(z.object({ Dimensions: z.optional(z.nullable(z.array(dimension))) })),
});

export type AlarmState = z.infer<typeof state>;

/** What an `alarm` event of the feed says. */
export interface AlarmEventData {
  alarm: string;
  state: AlarmState;
  previousState: AlarmState;
  reason: string;
  /** ISO-8601 UTC time of the change. */
  time: string;
  description?: string;
  /** The service the alarm watches (its `service` dimension), if it watches one. */
  service?: string;
}

/** A message on the alarm topic that is not an alarm state change. */
export class NotAnAlarmError extends Error {
  override readonly name = 'NotAnAlarmError';
}

/**
 * Reads an alarm topic message (the SNS `Message`, a JSON string) from AWS
 * or from MiniStack; throws {@link NotAnAlarmError} naming what is wrong.
 */
export function parseAlarmMessage(message: string): AlarmEventData {
  let value: unknown;
  try {
    value = JSON.parse(message);
  } catch {
    throw new NotAnAlarmError('the message is not JSON');
  }
  const parsed = z.safeParse(notification, value);
  if (!parsed.success) {
    const problems = parsed.error.issues.map(
      (issue) => `${issue.path.join('.') || '(message)'} ${issue.message}`,
    );
    throw new NotAnAlarmError(`not an alarm state change: ${problems.join('; ')}`);
  }
  const alarm = parsed.data;
  const service = (alarm.Trigger?.Dimensions ?? [])
    .map((d) => ('name' in d ? { name: d.name, value: d.value } : { name: d.Name, value: d.Value }))
    .find((d) => d.name === DIMENSION.service)?.value;
  return {
    alarm: alarm.AlarmName,
    state: alarm.NewStateValue,
    previousState: alarm.OldStateValue,
    reason: alarm.NewStateReason,
    time: new Date(Date.parse(alarm.StateChangeTime)).toISOString(),
    ...(alarm.AlarmDescription ? { description: alarm.AlarmDescription } : {}),
    ...(service ? { service } : {}),
  };
}

/**
 * The feed message of an alarm state change: type `alarm`, stamped with the
 * time of the change, under the service the alarm watches (or `alarms`),
 * with the notification's id as its request id.
 */
export function alarmFeedMessage(alarm: AlarmEventData, notificationId: string): FeedMessage {
  return feedMessage(
    alarm.service ?? ALARMS_SERVICE,
    notificationId,
    { type: ALARM_EVENT, data: alarm },
    new Date(alarm.time),
  );
}

/**
 * True for a change worth an event: not an alarm's first evaluation finding
 * nothing wrong (INSUFFICIENT_DATA to OK), which every new alarm makes once
 * after a deploy, on AWS as locally, and which tells no one anything.
 */
export const isNews = (alarm: AlarmEventData): boolean =>
  !(alarm.previousState === 'INSUFFICIENT_DATA' && alarm.state === 'OK');

/**
 * The feed messages of a delivery's notifications (by their ids), the
 * changes worth one ({@link isNews}), and the notifications that are not
 * alarm state changes, each with what is wrong with it.
 */
export function alarmFeedMessages(notifications: ReadonlyArray<{ id: string; message: string }>): {
  messages: FeedMessage[];
  rejected: Array<{ id: string; problem: string }>;
} {
  const messages: FeedMessage[] = [];
  const rejected: Array<{ id: string; problem: string }> = [];
  for (const { id, message } of notifications) {
    try {
      const alarm = parseAlarmMessage(message);
      if (isNews(alarm)) messages.push(alarmFeedMessage(alarm, id));
    } catch (error) {
      if (!(error instanceof NotAnAlarmError)) throw error;
      rejected.push({ id, problem: error.message });
    }
  }
  return { messages, rejected };
}
