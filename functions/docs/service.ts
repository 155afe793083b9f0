import { defineService } from '../shared/service.js';
import { docsRoutes, SWAGGER_DIST_FILES } from './routes.js';

/** `GET /openapi.json` and Swagger UI at `GET /docs`, from the route declarations; no CDN. */
export const docsService = defineService({
  name: 'docs',
  routes: docsRoutes,
  functions: {
    docs: {
      entry: 'docs/handler.ts',
      description: 'Serves the OpenAPI document and Swagger UI',
      routes: 'all',
      files: Object.keys(SWAGGER_DIST_FILES).map((file) => `node_modules/swagger-ui-dist/${file}`),
    },
  },
});
