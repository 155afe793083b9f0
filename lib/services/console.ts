import { Construct } from 'constructs';
import { consoleRoutes } from '../../functions/console/routes.js';
import { ENV } from '../../functions/shared/env-names.js';
import type { HttpApi } from '../http-api.js';
import type { LiveFeed } from '../live-feed.js';
import type { LogFeed } from '../log-feed.js';
import { ServiceFunction } from '../service-function.js';

export interface ConsoleServiceProps {
  api: HttpApi;
  logFeed: LogFeed;
  /** Where the console's live panel connects. */
  liveFeed: LiveFeed;
}

/** The web console at `GET /console`: a single-page app served by the stack, same origin as the API. */
export class ConsoleService extends Construct {
  readonly function: ServiceFunction;

  constructor(scope: Construct, id: string, { api, logFeed, liveFeed }: ConsoleServiceProps) {
    super(scope, id);
    this.function = new ServiceFunction(this, 'console', {
      service: 'console',
      bundle: 'console',
      description: 'Serves the web console',
    });
    this.function.setEnv(ENV.liveFeedApiId, liveFeed.api.apiId);
    this.function.setEnv(ENV.liveFeedStage, liveFeed.stage.stageName);
    this.function.setEnv(ENV.liveFeedPublicUrl, liveFeed.url);
    logFeed.forwardErrorsFrom(this.function);
    api.addRoutes(consoleRoutes, this.function);
  }
}
