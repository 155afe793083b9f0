import { CfnOutput, Stack, type StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { benchRoutes } from '../functions/bench/routes.js';
import { HttpApi } from './http-api.js';
import { LiveFeed } from './live-feed.js';
import { LogFeed } from './log-feed.js';
import { acceptNagFindings } from './nag-suppressions.js';
import { ServiceFunction } from './service-function.js';
import { AuthService } from './services/auth.js';
import { BookingServices } from './services/booking.js';
import { ConsoleService } from './services/console.js';
import { DocsService } from './services/docs.js';
import { DowncaseService } from './services/downcase.js';
import { SearchService } from './services/search.js';
import { TasksService } from './services/tasks.js';
import { OUTPUT } from './stack-outputs.js';

export interface MicroservicesStackProps extends StackProps {
  /** Adds the no-op route `npm run bench` measures the emulator's floor with. */
  benchRoutes?: boolean;
}

/** The whole system: shared log feed and API, one construct per service. */
export class MicroservicesStack extends Stack {
  constructor(scope: Construct, id: string, props: MicroservicesStackProps = {}) {
    super(scope, id, props);
    const logFeed = new LogFeed(this, 'log-feed');
    const api = new HttpApi(this, 'http-api');
    const downcase = new DowncaseService(this, 'downcase-service', { api, logFeed });
    const auth = new AuthService(this, 'auth-service', { api, logFeed });
    new TasksService(this, 'tasks-service', { api, logFeed });
    const search = new SearchService(this, 'search-service', { api, logFeed });
    const booking = new BookingServices(this, 'booking-services', { api, logFeed });
    // One identity: signup creates the person's profile; deleting a profile deletes the account.
    booking.endpoints.users.allowCallsFrom(auth.function);
    auth.allowAccountRemoval(booking.users);
    new DocsService(this, 'docs-service', { api, logFeed });
    const liveFeed = new LiveFeed(this, 'live-feed', {
      logFeed,
      auth,
    });
    new ConsoleService(this, 'console-service', { api, logFeed, liveFeed });

    if (props.benchRoutes) {
      const noop = new ServiceFunction(this, 'bench-noop', { service: 'bench', bundle: 'bench-noop' });
      logFeed.forwardErrorsFrom(noop);
      api.addRoutes(benchRoutes, noop);
    }

    const outputs: Partial<Record<keyof typeof OUTPUT, string>> = {
      logFeedTopicArn: logFeed.topic.topicArn,
      logFeedArchiveQueueUrl: logFeed.archive.queueUrl,
      logFeedArchiveDlqUrl: logFeed.archiveDlq.queueUrl,
      logFeedSubscriberLogGroup: logFeed.subscriberLogGroup.logGroupName,
      downcaseFunctionName: downcase.function.fn.functionName,
      userPoolId: auth.userPool.userPoolId,
      userPoolClientId: auth.client.userPoolClientId,
      searchThingsTable: search.things.tableName,
      searchCellsTable: search.cells.tableName,
      searchFunctionName: search.function.fn.functionName,
      usersRpcQueueUrl: booking.endpoints.users.queue.queueUrl,
      usersRpcDlqUrl: booking.endpoints.users.deadLetterQueue.queueUrl,
      usersFunctionName: booking.users.fn.functionName,
      rpcJanitorFunctionName: booking.janitor.fn.functionName,
      moviesRpcQueueUrl: booking.endpoints.movies.queue.queueUrl,
      moviesRpcDlqUrl: booking.endpoints.movies.deadLetterQueue.queueUrl,
      moviesFunctionName: booking.movies.fn.functionName,
      moviesTable: booking.tables.movies.tableName,
      bookingsFunctionName: booking.bookings.fn.functionName,
      bookingsTable: booking.tables.bookings.tableName,
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
