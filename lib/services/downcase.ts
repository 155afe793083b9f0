import { Construct } from 'constructs';
import { downcaseRoutes } from '../../functions/downcase/routes.js';
import type { HttpApi } from '../http-api.js';
import type { LogFeed } from '../log-feed.js';
import { ServiceFunction } from '../service-function.js';

export interface DowncaseServiceProps {
  api: HttpApi;
  logFeed: LogFeed;
}

/** `GET /downcase`: the original Flask service, publishing every response to the log feed. */
export class DowncaseService extends Construct {
  readonly function: ServiceFunction;

  constructor(scope: Construct, id: string, props: DowncaseServiceProps) {
    super(scope, id);
    this.function = new ServiceFunction(this, 'downcase', {
      service: 'downcase',
      bundle: 'downcase',
      description: 'Lower-cases a string and publishes the response to the log feed',
    });
    props.logFeed.connect(this.function);
    props.api.addRoutes(downcaseRoutes, this.function);
  }
}
