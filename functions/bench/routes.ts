import { defineRoutes } from '../shared/http/route.js';

/** Deployed only with `-c bench=true`: the emulator's floor for `npm run bench`, the authorizer's cost and the metrics'. */
export const benchRoutes = defineRoutes({
  noop: { method: 'GET', path: '/bench/noop', summary: 'Answers 200 and does nothing else', auth: 'none' },
  noopSignedIn: {
    method: 'GET',
    path: '/bench/noop/signed-in',
    summary: 'The same no-op behind the token authorizer',
    auth: 'user',
  },
  noopWithMetrics: {
    method: 'GET',
    path: '/bench/noop/metrics',
    summary: 'The same no-op with the metrics of every HTTP request',
    auth: 'none',
  },
  noopWithTrace: {
    method: 'GET',
    path: '/bench/noop/trace',
    summary: 'The same no-op with the trace context and span line of every HTTP request',
    auth: 'none',
  },
});
