import { defineService } from '../shared/service.js';
import { benchRoutes } from './routes.js';

/** The emulator's floor for `npm run bench`: deployed only with `-c bench=true`. */
export const benchService = defineService({
  name: 'bench',
  routes: benchRoutes,
  functions: {
    'bench-noop': { entry: 'bench/noop.ts', description: 'Answers 200 and does nothing else', routes: 'all' },
  },
  benchOnly: true,
});
