import { CfnOutput, Stack, type StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { authService } from '../functions/auth/service.js';
import { bookingsService } from '../functions/bookings/service.js';
import { consoleService } from '../functions/console/service.js';
import { downcaseService } from '../functions/downcase/service.js';
import { liveFeedService } from '../functions/live-feed/service.js';
import { logFeedService } from '../functions/log-feed/service.js';
import { moviesService } from '../functions/movies/service.js';
import { rpcJanitorService } from '../functions/rpc-janitor/service.js';
import { searchService } from '../functions/search/service.js';
import { SERVICES } from '../functions/services.js';
import type { AnyService } from '../functions/shared/service.js';
import { tasksService } from '../functions/tasks/service.js';
import { usersService } from '../functions/users/service.js';
import { allowDeclaredCalls, DeclaredService, type DeployedService } from './declared-service.js';
import { HttpApi } from './http-api.js';
import { LiveFeed } from './live-feed.js';
import { LogFeed } from './log-feed.js';
import { acceptNagFindings } from './nag-suppressions.js';
import { AuthService } from './services/auth.js';
import { BookingServices } from './services/booking.js';
import { OUTPUT } from './stack-outputs.js';

export interface MicroservicesStackProps extends StackProps {
  /** Adds the no-op route `npm run bench` measures the emulator's floor with. */
  benchRoutes?: boolean;
  /**
   * The declared services (default: functions/services.ts). Those with a
   * construct of their own (log feed, auth, booking, live feed) are always
   * deployed by it; every other one is deployed from its declaration alone.
   */
  services?: readonly AnyService[];
}

/** Services whose wiring goes beyond their declaration: each has its construct in lib/. */
const OWN_CONSTRUCT: ReadonlySet<AnyService> = new Set([
  logFeedService,
  authService,
  usersService,
  moviesService,
  bookingsService,
  rpcJanitorService,
  liveFeedService,
]);

/** The whole system: shared log feed and API, then every declared service. */
export class MicroservicesStack extends Stack {
  constructor(scope: Construct, id: string, props: MicroservicesStackProps = {}) {
    super(scope, id, props);
    const logFeed = new LogFeed(this, 'log-feed');
    const api = new HttpApi(this, 'http-api');
    // First: it gives the API the token authorizer that signed-in routes are wired with.
    const auth = new AuthService(this, 'auth-service', { api, logFeed });
    const booking = new BookingServices(this, 'booking-services', { api, logFeed });
    // One identity: deleting a profile deletes the account.
    auth.allowAccountRemoval(booking.users);
    const liveFeed = new LiveFeed(this, 'live-feed', { logFeed, auth });

    // Every other service, from its declaration alone.
    const declared = (props.services ?? SERVICES)
      .filter((service) => !OWN_CONSTRUCT.has(service) && (!service.benchOnly || props.benchRoutes))
      .map((service) => new DeclaredService(this, `${service.name}-service`, service, { api, logFeed }));
    const deployed: DeployedService[] = [auth.deployed, ...Object.values(booking.services), ...declared];
    /** What a service became; the stack's outputs and wiring need these services. */
    const deployedOf = <D extends AnyService>(service: D) => {
      const found = deployed.find((d) => d.declaration === service);
      if (!found) throw new Error(`the stack needs service ${service.name}`);
      return found as DeployedService<D>;
    };

    // E.g. signup creates the person's profile over RPC: every declared `calls` gets its grant and queue URL.
    allowDeclaredCalls(deployed);
    liveFeed.describeTo(deployedOf(consoleService).functions.console);

    const outputs: Partial<Record<keyof typeof OUTPUT, string>> = {
      logFeedTopicArn: logFeed.topic.topicArn,
      logFeedArchiveQueueUrl: logFeed.archive.queueUrl,
      logFeedArchiveDlqUrl: logFeed.archiveDlq.queueUrl,
      logFeedSubscriberLogGroup: logFeed.subscriberLogGroup.logGroupName,
      downcaseFunctionName: deployedOf(downcaseService).functions.downcase.fn.functionName,
      userPoolId: auth.userPool.userPoolId,
      userPoolClientId: auth.client.userPoolClientId,
      searchThingsTable: deployedOf(searchService).tables.things.tableName,
      searchCellsTable: deployedOf(searchService).tables.cells.tableName,
      searchFunctionName: deployedOf(searchService).functions.search.fn.functionName,
      tasksTable: deployedOf(tasksService).tables.tasks.tableName,
      usersRpcQueueUrl: booking.endpoints.users.queue.queueUrl,
      usersRpcDlqUrl: booking.endpoints.users.deadLetterQueue.queueUrl,
      usersFunctionName: booking.users.fn.functionName,
      rpcJanitorFunctionName: booking.janitor.fn.functionName,
      moviesRpcQueueUrl: booking.endpoints.movies.queue.queueUrl,
      moviesRpcDlqUrl: booking.endpoints.movies.deadLetterQueue.queueUrl,
      moviesFunctionName: booking.movies.fn.functionName,
      moviesTable: booking.services.movies.tables.movies.tableName,
      bookingsFunctionName: booking.bookings.fn.functionName,
      bookingsTable: booking.services.bookings.tables.bookings.tableName,
      bookingSagaQueueUrl: booking.sagaQueue.queue.queueUrl,
      bookingSagaDlqUrl: booking.sagaQueue.deadLetterQueue.queueUrl,
      liveFeedApiId: liveFeed.api.apiId,
      liveFeedStage: liveFeed.stage.stageName,
      liveFeedUrl: liveFeed.url,
      liveFeedConnectionsTable: liveFeed.connections.tableName,
    };
    for (const [key, value] of Object.entries(outputs)) {
      new CfnOutput(this, OUTPUT[key as keyof typeof OUTPUT], { value });
    }
    acceptNagFindings(this);
  }
}
