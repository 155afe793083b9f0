import * as z from 'zod/mini';
import { DEFAULT_WINDOW, DURATION_PATTERN, DURATION_RULE } from '../shared/dashboard/duration.js';
import { defineRoutes } from '../shared/http/route.js';
import { expected } from '../shared/http/validate.js';
import { LOOKUP_ID_PATTERN, LOOKUP_ID_RULE } from '../shared/trace/search.js';

const series = z.object({
  label: z.string(),
  metric: z.string(),
  stat: z.string(),
  dimensions: z.record(z.string(), z.string()),
  timestamps: z.array(z.string()),
  values: z.array(z.number()),
});

const alarm = z.object({
  name: z.string(),
  description: z.string(),
  state: z.string(),
  reason: z.string(),
  updated: z.optional(z.string()),
});

/** The dashboard's widgets with their points, and the alarms with their states. */
export const statusReport = z.object({
  dashboard: z.string(),
  start: z.string(),
  end: z.string(),
  periodSeconds: z.number(),
  widgets: z.array(z.object({ title: z.string(), series: z.array(series) })),
  alarms: z.array(alarm),
});

/** One span line as read back from a log (functions/shared/trace/span.ts), with the service that wrote it. */
const span = z.object({
  trace_id: z.string(),
  span_id: z.string(),
  parent_span_id: z.optional(z.string()),
  span_name: z.string(),
  span_kind: z.enum(['SERVER', 'CLIENT', 'PRODUCER', 'CONSUMER', 'INTERNAL']),
  start_time: z.string(),
  duration_ms: z.number(),
  status: z.enum(['ok', 'error']),
  error_code: z.optional(z.string()),
  attributes: z.optional(z.record(z.string(), z.union([z.string(), z.number(), z.boolean()]))),
  service: z.string(),
});

/** A trace's waterfall (functions/shared/trace/waterfall.ts), as `npm run trace -- --json` prints it. */
export const traceView = z.object({
  traceId: z.string(),
  startMs: z.number(),
  totalMs: z.number(),
  rows: z.array(
    z.object({
      span,
      depth: z.number(),
      offsetMs: z.number(),
      orphan: z.boolean(),
    }),
  ),
  otherTraces: z.array(z.string()),
});

/** The window searched for a trace when none is given: as `npm run trace`. */
export const TRACE_WINDOW = '1d';

/** What the Status function serves. */
export const dashboardRoutes = defineRoutes({
  status: {
    method: 'GET',
    path: '/status',
    summary:
      "The stack's dashboard: each widget's series (label, timestamps, values) over the window `since` (1m to 24h, default 15m), and the alarms with their states",
    auth: 'admin',
    query: z.object({
      since: z._default(z.string().check(z.regex(DURATION_PATTERN, DURATION_RULE)), DEFAULT_WINDOW),
    }),
    response: statusReport,
    errors: [400],
  },
});

/** What the trace reader serves. */
export const traceRoutes = defineRoutes({
  trace: {
    method: 'GET',
    path: '/traces/{id}',
    summary:
      "One request's whole path across the services as a waterfall, as `npm run trace` prints it: every span (service, operation, kind, start offset, duration, outcome with its error code), in a tree by who called whom, a span whose parent is missing marked `orphan`. `id` is a trace id, or a request id or booking id that a line of the trace names (then the earliest such trace; `otherTraces` lists the later ones). Searches the stack's function logs of the window `since` (1m to 24h, default 1d); 404 when no line names the id",
    auth: 'admin',
    params: z.object({
      id: z.string({ error: expected('must be a string') }).check(z.regex(LOOKUP_ID_PATTERN, LOOKUP_ID_RULE)),
    }),
    query: z.object({
      since: z._default(z.string().check(z.regex(DURATION_PATTERN, DURATION_RULE)), TRACE_WINDOW),
    }),
    response: traceView,
    errors: [400, 404],
  },
});

/** Operator data, for admins: the dashboard with the alarms, and one trace. */
export const statusRoutes = defineRoutes({ ...dashboardRoutes, ...traceRoutes });
