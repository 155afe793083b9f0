import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import { AttributeType, BillingMode, Table } from 'aws-cdk-lib/aws-dynamodb';
import { Rule, Schedule } from 'aws-cdk-lib/aws-events';
import { LambdaFunction } from 'aws-cdk-lib/aws-events-targets';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import { Construct } from 'constructs';
import { bookingRoutes } from '../../functions/bookings/routes.js';
import { BOOKINGS_TIMEOUT_SECONDS } from '../../functions/bookings/timing.js';
import { movieRoutes } from '../../functions/movies/routes.js';
import { ENV } from '../../functions/shared/env-names.js';
import { userRoutes } from '../../functions/users/routes.js';
import type { HttpApi } from '../http-api.js';
import type { LogFeed } from '../log-feed.js';
import { MAX_RECEIVE_COUNT, type QueueWithDlq, queueWithDlq } from '../queues.js';
import { ReplyQueueJanitor, RpcEndpoint, visibilityFor } from '../rpc-endpoint.js';
import { ServiceFunction } from '../service-function.js';

export interface BookingServicesProps {
  api: HttpApi;
  logFeed: LogFeed;
}

const DATA = [
  'dynamodb:GetItem',
  'dynamodb:PutItem',
  'dynamodb:UpdateItem',
  'dynamodb:DeleteItem',
  'dynamodb:Scan',
];

/**
 * The Nameko booking system: users, movies and bookings, each a function
 * owning its own table, calling each other over SQS request/reply RPC.
 */
export class BookingServices extends Construct {
  readonly users: ServiceFunction;
  readonly movies: ServiceFunction;
  readonly bookings: ServiceFunction;
  readonly endpoints: Record<'users' | 'movies' | 'bookings', RpcEndpoint>;
  readonly janitor: ServiceFunction;
  /** The booking saga's queue: delayed checks of pending bookings, and movies' replies to durable releases. */
  readonly sagaQueue: QueueWithDlq;
  readonly tables: Record<'users' | 'movies' | 'bookings', Table>;

  constructor(scope: Construct, id: string, { api, logFeed }: BookingServicesProps) {
    super(scope, id);
    const table = (name: string, withUserIndex = false) => {
      const created = new Table(this, `${name}-table`, {
        partitionKey: { name: 'id', type: AttributeType.STRING },
        billingMode: BillingMode.PAY_PER_REQUEST,
        removalPolicy: RemovalPolicy.DESTROY,
      });
      if (withUserIndex) {
        created.addGlobalSecondaryIndex({
          indexName: 'by-user',
          partitionKey: { name: 'userId', type: AttributeType.STRING },
          sortKey: { name: 'createdOn', type: AttributeType.STRING },
        });
      }
      return created;
    };
    const tables: Partial<Record<'users' | 'movies' | 'bookings', Table>> = {};
    const service = (
      name: 'users' | 'movies' | 'bookings',
      description: string,
      tableEnv: string,
      withUserIndex = false,
    ) => {
      const fn = new ServiceFunction(this, name, {
        service: name,
        bundle: name,
        description,
        ...(name === 'bookings' ? { timeout: Duration.seconds(BOOKINGS_TIMEOUT_SECONDS) } : {}),
      });
      const owned = table(name, withUserIndex);
      tables[name] = owned;
      owned.grant(fn.fn, ...DATA, ...(withUserIndex ? ['dynamodb:Query'] : []));
      fn.setEnv(tableEnv, owned.tableName);
      logFeed.forwardErrorsFrom(fn);
      return fn;
    };

    this.users = service('users', 'Users, and their bookings through the bookings service', ENV.usersTable);
    this.movies = service('movies', 'Movies and showtimes; reserves seats atomically', ENV.moviesTable);
    this.bookings = service(
      'bookings',
      'Bookings: checks users and reserves seats over RPC',
      ENV.bookingsTable,
      true,
    );

    this.endpoints = {
      users: new RpcEndpoint(this, 'users-rpc', { service: 'users', server: this.users }),
      movies: new RpcEndpoint(this, 'movies-rpc', { service: 'movies', server: this.movies }),
      bookings: new RpcEndpoint(this, 'bookings-rpc', { service: 'bookings', server: this.bookings }),
    };
    this.endpoints.bookings.allowCallsFrom(this.users);
    this.endpoints.users.allowCallsFrom(this.bookings);
    this.endpoints.movies.allowCallsFrom(this.bookings);
    this.tables = tables as Record<'users' | 'movies' | 'bookings', Table>;

    // The saga: bookings sends delayed checks and durable releases whose replies (from movies) come back here.
    this.sagaQueue = queueWithDlq(this, 'booking-saga', visibilityFor(this.bookings), MAX_RECEIVE_COUNT);
    this.sagaQueue.queue.grantSendMessages(this.bookings.fn);
    this.sagaQueue.queue.grantSendMessages(this.movies.fn);
    this.bookings.setEnv(ENV.bookingSagaQueueUrl, this.sagaQueue.queue.queueUrl);
    this.bookings.fn.addEventSource(
      new SqsEventSource(this.sagaQueue.queue, { batchSize: 10, reportBatchItemFailures: true }),
    );
    logFeed.grantPublish(this.bookings);
    // The reconciler: repairs what a crash left behind (the delayed checks catch most of it within seconds).
    new Rule(this, 'booking-reconciler-every-minute', {
      schedule: Schedule.rate(Duration.minutes(1)),
      targets: [new LambdaFunction(this.bookings.fn)],
    });

    const janitor = new ReplyQueueJanitor(this, 'reply-queue-janitor');
    logFeed.forwardErrorsFrom(janitor.function);
    this.janitor = janitor.function;

    api.addRoutes(userRoutes, this.users);
    api.addRoutes(movieRoutes, this.movies);
    api.addRoutes(bookingRoutes, this.bookings);
  }
}
