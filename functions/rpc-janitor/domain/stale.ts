/** Reply queues unused for this long belong to execution environments that went away. */
export const MAX_IDLE_MS = 15 * 60_000;

/** The reply queues to delete: no heartbeat, an unreadable one, or one older than {@link MAX_IDLE_MS}. */
export function staleReplyQueues(
  queues: ReadonlyArray<{ url: string; heartbeat?: string }>,
  now: number,
): string[] {
  return queues
    .filter(({ heartbeat }) => {
      const at = heartbeat ? Date.parse(heartbeat) : Number.NaN;
      return Number.isNaN(at) || now - at > MAX_IDLE_MS;
    })
    .map(({ url }) => url);
}
