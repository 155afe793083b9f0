import { defineRoutes } from '../shared/http/route.js';

/** Deployed only with `-c bench=true`: the emulator's floor for `npm run bench`. */
export const benchRoutes = defineRoutes({
  noop: { method: 'GET', path: '/bench/noop', summary: 'Answers 200 and does nothing else', auth: 'none' },
});
