import { Duration } from 'aws-cdk-lib';
import { Rule, Schedule } from 'aws-cdk-lib/aws-events';
import { LambdaFunction } from 'aws-cdk-lib/aws-events-targets';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import { Construct } from 'constructs';
import { bookingsService } from '../../functions/bookings/service.js';
import { moviesService } from '../../functions/movies/service.js';
import { ENV } from '../../functions/shared/env-names.js';
import { usersService } from '../../functions/users/service.js';
import { type DeclaredServiceProps, type DeployedService, deployService } from '../declared-service.js';
import { grantSend, MAX_RECEIVE_COUNT, type QueueWithDlq, queueWithDlq } from '../queues.js';
import { ReplyQueueJanitor, type RpcEndpoint, visibilityFor } from '../rpc-endpoint.js';
import type { ServiceFunction } from '../service-function.js';

/**
 * The Nameko booking system: users, movies and bookings, each a function
 * owning its own table and serving its RPC contract on a request queue, all
 * declared in `functions/<service>/service.ts`. This construct adds what
 * declarations do not say: the booking saga's queue and reconciler, and the
 * reply-queue janitor. Callers are wired by the stack from each function's
 * declared `calls`.
 */
export class BookingServices extends Construct {
  readonly services: {
    users: DeployedService<typeof usersService>;
    movies: DeployedService<typeof moviesService>;
    bookings: DeployedService<typeof bookingsService>;
  };
  readonly users: ServiceFunction;
  readonly movies: ServiceFunction;
  readonly bookings: ServiceFunction;
  readonly endpoints: Record<'users' | 'movies' | 'bookings', RpcEndpoint>;
  readonly janitor: ServiceFunction;
  /** The booking saga's queue: delayed checks of pending bookings, and movies' replies to durable releases. */
  readonly sagaQueue: QueueWithDlq;

  constructor(scope: Construct, id: string, props: DeclaredServiceProps) {
    super(scope, id);
    this.services = {
      users: deployService(this, usersService, props),
      movies: deployService(this, moviesService, props),
      bookings: deployService(this, bookingsService, props),
    };
    this.users = this.services.users.functions.users;
    this.movies = this.services.movies.functions.movies;
    this.bookings = this.services.bookings.functions.bookings;

    const endpoint = (service: DeployedService) => {
      if (!service.endpoint) throw new Error(`${service.declaration.name} declares no RPC contract`);
      return service.endpoint;
    };
    this.endpoints = {
      users: endpoint(this.services.users),
      movies: endpoint(this.services.movies),
      bookings: endpoint(this.services.bookings),
    };

    // The saga: bookings sends delayed checks and durable releases whose replies (from movies) come back here.
    this.sagaQueue = queueWithDlq(this, 'booking-saga', visibilityFor(this.bookings), MAX_RECEIVE_COUNT);
    grantSend(this.sagaQueue.queue, this.bookings.fn);
    grantSend(this.sagaQueue.queue, this.movies.fn);
    this.bookings.setEnv(ENV.bookingSagaQueueUrl, this.sagaQueue.queue.queueUrl);
    this.bookings.fn.addEventSource(
      new SqsEventSource(this.sagaQueue.queue, { batchSize: 10, reportBatchItemFailures: true }),
    );
    // The reconciler: repairs what a crash left behind (the delayed checks catch most of it within seconds).
    new Rule(this, 'booking-reconciler-every-minute', {
      schedule: Schedule.rate(Duration.minutes(1)),
      targets: [new LambdaFunction(this.bookings.fn)],
    });

    this.janitor = new ReplyQueueJanitor(this, 'reply-queue-janitor', props).function;
  }
}
