import * as z from 'zod/mini';
import { defineRoutes } from '../shared/http/route.js';

/** Swagger UI's own files, copied from swagger-ui-dist next to the docs bundle. */
export const SWAGGER_DIST_FILES = {
  'swagger-ui.css': 'text/css; charset=utf-8',
  'swagger-ui-bundle.js': 'application/javascript; charset=utf-8',
  'swagger-ui-standalone-preset.js': 'application/javascript; charset=utf-8',
} as const;

/** Every file served under /docs: Swagger UI's, and the script that starts it (ui.ts). */
export const SWAGGER_ASSETS = {
  ...SWAGGER_DIST_FILES,
  'swagger-start.js': 'application/javascript; charset=utf-8',
} as const;

export type SwaggerAsset = keyof typeof SWAGGER_ASSETS;

export const docsRoutes = defineRoutes({
  openapi: {
    method: 'GET',
    path: '/openapi.json',
    summary: 'The OpenAPI 3.1 document of every route, generated from the route declarations',
    auth: 'none',
    response: z.looseObject({
      openapi: z.string(),
      info: z.looseObject({ title: z.string(), version: z.string() }),
      paths: z.record(z.string(), z.unknown()),
    }),
  },
  ui: { method: 'GET', path: '/docs', summary: 'Swagger UI for this API', auth: 'none' },
  asset: {
    method: 'GET',
    path: '/docs/{asset}',
    summary: 'A Swagger UI file',
    auth: 'none',
    params: z.object({
      asset: z.enum(
        Object.keys(SWAGGER_ASSETS) as [SwaggerAsset, ...SwaggerAsset[]],
        'is not a Swagger UI file',
      ),
    }),
    errors: [400],
  },
});
