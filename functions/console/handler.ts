import { browserHeaders } from '../shared/http/browser-headers.js';
import { httpHandler } from '../shared/http/middleware.js';
import { Reply } from '../shared/http/route.js';
import { staticFiles } from '../shared/http/static-files.js';
import { consoleEnv } from './env.js';
import { consolePage } from './page.js';
import { CONSOLE_ASSETS, consoleRoutes } from './routes.js';

const env = consoleEnv();
const page = consolePage({
  liveFeedApiId: env.LIVE_FEED_API_ID,
  liveFeedStage: env.LIVE_FEED_STAGE,
  liveFeedUrl: env.LIVE_FEED_PUBLIC_URL,
});

/** The built files sit beside the bundle (see lib/console-assets.ts). */
const assetDir = process.env.LAMBDA_TASK_ROOT ?? __dirname;
const asset = staticFiles(assetDir);

// Locally the live feed is on the API's own host; on AWS it is the WebSocket API's own origin.
const headers = browserHeaders({ connectTo: [new URL(env.LIVE_FEED_PUBLIC_URL).origin] });

export const handler = httpHandler(consoleRoutes, {
  page: async () => new Reply(200, page, 'text/html; charset=utf-8', headers),
  asset: async ({ params }) => new Reply(200, asset(params.asset), CONSOLE_ASSETS[params.asset], headers),
});
