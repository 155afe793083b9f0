import { createRequire } from 'node:module';
import * as path from 'node:path';
import { browserHeaders } from '../shared/http/browser-headers.js';
import { httpHandler } from '../shared/http/middleware.js';
import { Reply } from '../shared/http/route.js';
import { staticFiles } from '../shared/http/static-files.js';
import { apiDocument } from './document.js';
import { docsRoutes, SWAGGER_ASSETS } from './routes.js';
import { SWAGGER_PAGE, SWAGGER_START } from './ui.js';

/**
 * Built once per cold start, by the first request for it: the page and its
 * assets do not need it, and building it at load cost every cold start ~11 ms.
 */
let document: ReturnType<typeof apiDocument> | undefined;

/** In Lambda the files sit beside the bundle; in tests, in node_modules. */
const assetDir = process.env.LAMBDA_TASK_ROOT
  ? process.env.LAMBDA_TASK_ROOT
  : path.dirname(createRequire(import.meta.url).resolve('swagger-ui-dist/package.json'));
const asset = staticFiles(assetDir);

const headers = browserHeaders();

export const handler = httpHandler(docsRoutes, {
  openapi: async () => (document ??= apiDocument()),
  ui: async () => new Reply(200, SWAGGER_PAGE, 'text/html; charset=utf-8', headers),
  asset: async ({ params }) =>
    new Reply(
      200,
      params.asset === 'swagger-start.js' ? SWAGGER_START : asset(params.asset),
      SWAGGER_ASSETS[params.asset],
      headers,
    ),
});
