import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import * as path from 'node:path';
import { httpHandler } from '../shared/http/middleware.js';
import { openApiDocument } from '../shared/http/openapi.js';
import { Reply } from '../shared/http/route.js';
import { API_ROUTES } from './api-routes.js';
import { docsRoutes, SWAGGER_ASSETS } from './routes.js';
import { SWAGGER_PAGE } from './ui.js';

/** Built once per cold start. */
const document = openApiDocument(API_ROUTES, {
  title: 'Microservices API',
  version: '1.0.0',
  description: 'downcase, search, tasks (with signup and login) and the docs themselves.',
});

/** In Lambda the files sit beside the bundle; in tests, in node_modules. */
const assetDir = process.env.LAMBDA_TASK_ROOT
  ? process.env.LAMBDA_TASK_ROOT
  : path.dirname(createRequire(import.meta.url).resolve('swagger-ui-dist/package.json'));
const assets = new Map<string, string>();
const asset = (name: string) => {
  if (!assets.has(name)) assets.set(name, readFileSync(path.join(assetDir, name), 'utf8'));
  return assets.get(name) as string;
};

export const handler = httpHandler(docsRoutes, {
  openapi: async () => document,
  ui: async () => new Reply(200, SWAGGER_PAGE, 'text/html; charset=utf-8'),
  asset: async ({ params }) => new Reply(200, asset(params.asset), SWAGGER_ASSETS[params.asset]),
});
