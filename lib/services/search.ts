import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import { AttributeType, BillingMode, Table } from 'aws-cdk-lib/aws-dynamodb';
import { Construct } from 'constructs';
import { searchRoutes } from '../../functions/search/routes.js';
import { SEARCH_TABLES } from '../../functions/search/table.js';
import { ENV } from '../../functions/shared/env-names.js';
import type { HttpApi } from '../http-api.js';
import type { LogFeed } from '../log-feed.js';
import { ServiceFunction } from '../service-function.js';

export interface SearchServiceProps {
  api: HttpApi;
  logFeed: LogFeed;
}

/** Metrics namespace of the whole app in CloudWatch. */
export const METRICS_NAMESPACE = 'Microservices';

/** The gRPC search service: things with polygons, a geohash cell index, a counter. */
export class SearchService extends Construct {
  readonly things: Table;
  readonly cells: Table;
  readonly function: ServiceFunction;

  constructor(scope: Construct, id: string, { api, logFeed }: SearchServiceProps) {
    super(scope, id);
    this.things = new Table(this, 'things-table', {
      partitionKey: { name: SEARCH_TABLES.things.partitionKey, type: AttributeType.STRING },
      billingMode: BillingMode.PAY_PER_REQUEST,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    this.cells = new Table(this, 'cells-table', {
      partitionKey: { name: SEARCH_TABLES.cells.partitionKey, type: AttributeType.STRING },
      sortKey: { name: SEARCH_TABLES.cells.sortKey, type: AttributeType.STRING },
      billingMode: BillingMode.PAY_PER_REQUEST,
      removalPolicy: RemovalPolicy.DESTROY,
    });

    this.function = new ServiceFunction(this, 'search', {
      service: 'search',
      bundle: 'search',
      description: 'Geo-indexed point-in-polygon and name search over things',
      memorySize: 512,
      timeout: Duration.seconds(25),
    });
    // Scan only for name-only searches; location searches Query the cells and BatchGet the things.
    this.things.grant(
      this.function.fn,
      'dynamodb:GetItem',
      'dynamodb:BatchGetItem',
      'dynamodb:PutItem',
      'dynamodb:DeleteItem',
      'dynamodb:Scan',
    );
    this.cells.grant(
      this.function.fn,
      'dynamodb:GetItem',
      'dynamodb:Query',
      'dynamodb:PutItem',
      'dynamodb:DeleteItem',
      'dynamodb:UpdateItem',
    );
    this.function.setEnv(ENV.thingsTable, this.things.tableName);
    this.function.setEnv(ENV.cellsTable, this.cells.tableName);
    this.function.setEnv('POWERTOOLS_METRICS_NAMESPACE', METRICS_NAMESPACE);
    logFeed.forwardErrorsFrom(this.function);
    api.addRoutes(searchRoutes, this.function);
  }
}
