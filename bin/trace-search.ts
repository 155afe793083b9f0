/**
 * Finds one trace in the stack's function log groups: from its trace id, or
 * from any id a line of it names (a request id, a booking id), and reads
 * every span line of it. Used by `npm run trace`.
 */
import type { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import { isTraceId } from '../functions/shared/trace/context.js';
import { parseSpanLine, type TraceSpan } from '../functions/shared/trace/waterfall.js';
import { jsonOf } from './log-lines.js';
import { searchLogs } from './stack-logs.js';

/**
 * The trace ids of the lines that name `id`, the earliest first (a booking's
 * id is named by the trace that created it, then by any that changed it).
 */
export async function tracesNaming(
  client: CloudWatchLogsClient,
  groups: readonly string[],
  id: string,
  startTime: number,
): Promise<string[]> {
  if (isTraceId(id)) return [id];
  const traces: string[] = [];
  for (const event of await searchLogs(client, groups, id, startTime)) {
    const traceId = jsonOf(event.message ?? '')?.trace_id;
    if (typeof traceId === 'string' && isTraceId(traceId) && !traces.includes(traceId)) traces.push(traceId);
  }
  return traces;
}

/** Every span line of a trace in `groups` since `startTime`. */
export async function spansOf(
  client: CloudWatchLogsClient,
  groups: readonly string[],
  traceId: string,
  startTime: number,
): Promise<TraceSpan[]> {
  return (await searchLogs(client, groups, traceId, startTime)).flatMap((event) => {
    const span = parseSpanLine(event.message ?? '');
    return span && span.trace_id === traceId ? [span] : [];
  });
}
