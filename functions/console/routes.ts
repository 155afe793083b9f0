import * as z from 'zod/mini';
import { defineRoutes } from '../shared/http/route.js';

/** The console's built files, served under /console; esbuild writes them beside the console function's bundle. */
export const CONSOLE_ASSETS = {
  'app.js': 'application/javascript; charset=utf-8',
  'app.css': 'text/css; charset=utf-8',
} as const;

export type ConsoleAsset = keyof typeof CONSOLE_ASSETS;

export const consoleRoutes = defineRoutes({
  page: { method: 'GET', path: '/console', summary: 'The web console (a single-page app)', auth: 'none' },
  asset: {
    method: 'GET',
    path: '/console/{asset}',
    summary: "A file of the web console's single-page app",
    auth: 'none',
    params: z.object({
      asset: z.enum(
        Object.keys(CONSOLE_ASSETS) as [ConsoleAsset, ...ConsoleAsset[]],
        'is not a console file',
      ),
    }),
    errors: [400],
  },
});
