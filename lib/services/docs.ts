import { Construct } from 'constructs';
import { docsRoutes } from '../../functions/docs/routes.js';
import type { HttpApi } from '../http-api.js';
import type { LogFeed } from '../log-feed.js';
import { ServiceFunction } from '../service-function.js';

export interface DocsServiceProps {
  api: HttpApi;
  logFeed: LogFeed;
}

/** `GET /openapi.json` and Swagger UI at `GET /docs`, from the route declarations; no CDN. */
export class DocsService extends Construct {
  constructor(scope: Construct, id: string, { api, logFeed }: DocsServiceProps) {
    super(scope, id);
    const docs = new ServiceFunction(this, 'docs', {
      service: 'docs',
      bundle: 'docs',
      description: 'Serves the OpenAPI document and Swagger UI',
    });
    logFeed.forwardErrorsFrom(docs);
    api.addRoutes(docsRoutes, docs);
  }
}
