/**
 * The stack's outputs, named once: the stack creates them under these names,
 * and the scripts, tests and `npm run tail` read them back under these names.
 */
import { readFileSync } from 'node:fs';

/** Name of the one stack of the app. */
export const STACK_NAME = 'Microservices';

export const OUTPUT = {
  apiId: 'ApiId',
  apiStage: 'ApiStage',
  apiUrl: 'ApiUrl',
  logFeedTopicArn: 'LogFeedTopicArn',
  logFeedArchiveQueueUrl: 'LogFeedArchiveQueueUrl',
  logFeedArchiveDlqUrl: 'LogFeedArchiveDlqUrl',
  logFeedSubscriberLogGroup: 'LogFeedSubscriberLogGroup',
  downcaseFunctionName: 'DowncaseFunctionName',
  userPoolId: 'UserPoolId',
  userPoolClientId: 'UserPoolClientId',
  searchThingsTable: 'SearchThingsTable',
  searchCellsTable: 'SearchCellsTable',
  searchFunctionName: 'SearchFunctionName',
  tasksTable: 'TasksTable',
  usersRpcQueueUrl: 'UsersRpcQueueUrl',
  usersRpcDlqUrl: 'UsersRpcDlqUrl',
  usersFunctionName: 'UsersFunctionName',
  rpcJanitorFunctionName: 'RpcJanitorFunctionName',
  moviesRpcQueueUrl: 'MoviesRpcQueueUrl',
  moviesRpcDlqUrl: 'MoviesRpcDlqUrl',
  moviesFunctionName: 'MoviesFunctionName',
  moviesTable: 'MoviesTable',
  bookingsFunctionName: 'BookingsFunctionName',
  bookingsTable: 'BookingsTable',
  bookingSagaQueueUrl: 'BookingSagaQueueUrl',
  bookingSagaDlqUrl: 'BookingSagaDlqUrl',
  liveFeedApiId: 'LiveFeedApiId',
  liveFeedStage: 'LiveFeedStage',
  liveFeedUrl: 'LiveFeedUrl',
  liveFeedConnectionsTable: 'LiveFeedConnectionsTable',
} as const;

export type StackOutputs = Record<keyof typeof OUTPUT, string>;

/** What a deploy leaves behind for the tests and the tail command. */
export interface Deployment {
  /** AWS-compatible endpoint (local stack), absent for real AWS. */
  endpoint?: string;
  /** Base URL of the API that answers from this machine, ending in `/`. */
  apiBaseUrl: string;
  outputs: StackOutputs;
}

/** Picks this app's outputs out of the raw name -> value map CloudFormation returns. */
export function toStackOutputs(raw: Record<string, string>): StackOutputs {
  const missing = Object.values(OUTPUT).filter((name) => raw[name] === undefined);
  if (missing.length > 0) throw new Error(`stack outputs missing: ${missing.join(', ')}`);
  return Object.fromEntries(
    Object.entries(OUTPUT).map(([key, name]) => [key, raw[name] as string]),
  ) as StackOutputs;
}

/**
 * The API base URL that answers from this machine: on a local stack the
 * execute-api path of the emulator, on AWS the stage URL.
 */
export function apiBaseUrl(outputs: StackOutputs, endpoint?: string): string {
  return endpoint
    ? `${endpoint.replace(/\/$/, '')}/_aws/execute-api/${outputs.apiId}/${outputs.apiStage}/`
    : outputs.apiUrl;
}

/**
 * The live feed's WebSocket URL that answers from this machine: on a local
 * stack the execute-api path of the emulator, on AWS the stage URL.
 */
export function liveFeedUrl(outputs: StackOutputs, endpoint?: string): string {
  return endpoint
    ? `${endpoint.replace(/^http/, 'ws').replace(/\/$/, '')}/_aws/execute-api/${outputs.liveFeedApiId}/${outputs.liveFeedStage}`
    : outputs.liveFeedUrl;
}

export function readDeployment(file: string): Deployment {
  return JSON.parse(readFileSync(file, 'utf8')) as Deployment;
}
