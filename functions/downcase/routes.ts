import { z } from 'zod';
import { defineRoutes } from '../shared/http/route.js';
import { downcaseResult } from './domain/downcase.js';

/** Longest `param` accepted, in characters. */
export const MAX_PARAM_LENGTH = 4096;

export const downcaseRoutes = defineRoutes({
  downcase: {
    method: 'GET',
    path: '/downcase',
    summary: 'Lower-cases `param` and publishes the response to the log feed',
    auth: 'none',
    query: z.object({
      param: z
        .string()
        .min(1, 'must not be empty')
        .max(MAX_PARAM_LENGTH, `must be at most ${MAX_PARAM_LENGTH} characters`),
    }),
    response: downcaseResult,
    errors: [400],
  },
});
