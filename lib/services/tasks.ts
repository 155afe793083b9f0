import { RemovalPolicy } from 'aws-cdk-lib';
import { AttributeType, BillingMode, ProjectionType, Table } from 'aws-cdk-lib/aws-dynamodb';
import { Construct } from 'constructs';
import { ENV } from '../../functions/shared/env-names.js';
import { taskRoutes } from '../../functions/tasks/routes.js';
import { TASKS_TABLE } from '../../functions/tasks/table.js';
import type { HttpApi } from '../http-api.js';
import type { LogFeed } from '../log-feed.js';
import { ServiceFunction } from '../service-function.js';

export interface TasksServiceProps {
  api: HttpApi;
  logFeed: LogFeed;
}

/** The Thrift Tasks service: per-user tasks in their own DynamoDB table. */
export class TasksService extends Construct {
  readonly table: Table;
  readonly function: ServiceFunction;

  constructor(scope: Construct, id: string, { api, logFeed }: TasksServiceProps) {
    super(scope, id);
    this.table = new Table(this, 'tasks-table', {
      partitionKey: { name: TASKS_TABLE.partitionKey, type: AttributeType.STRING },
      sortKey: { name: TASKS_TABLE.sortKey, type: AttributeType.STRING },
      billingMode: BillingMode.PAY_PER_REQUEST,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    this.table.addLocalSecondaryIndex({
      indexName: TASKS_TABLE.newestFirstIndex,
      sortKey: { name: TASKS_TABLE.newestFirstSortKey, type: AttributeType.STRING },
      projectionType: ProjectionType.ALL,
    });

    this.function = new ServiceFunction(this, 'tasks', {
      service: 'tasks',
      bundle: 'tasks',
      description: 'Per-user tasks: list, add, get, update, upsert, delete',
    });
    this.table.grant(
      this.function.fn,
      'dynamodb:GetItem',
      'dynamodb:PutItem',
      'dynamodb:UpdateItem',
      'dynamodb:DeleteItem',
      'dynamodb:Query',
    );
    this.function.setEnv(ENV.tasksTable, this.table.tableName);
    logFeed.connect(this.function);
    api.addRoutes(taskRoutes, this.function);
  }
}
