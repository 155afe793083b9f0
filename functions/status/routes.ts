import * as z from 'zod/mini';
import { DEFAULT_WINDOW, DURATION_PATTERN, DURATION_RULE } from '../shared/dashboard/duration.js';
import { defineRoutes } from '../shared/http/route.js';

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

export const statusRoutes = defineRoutes({
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
