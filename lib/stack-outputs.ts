/**
 * The stack's outputs, named once: the stack creates them under these names,
 * and the scripts, tests and bench read them back through {@link stackResources}.
 * The shared resources have a name each (`OUTPUT`); every resource a service
 * declares has one derived from its declaration (`outputName`), so adding a
 * table, queue or function to a declaration adds its output with nothing
 * else to edit. No aws-cdk-lib here: scripts read this quickly.
 */
import { readFileSync } from 'node:fs';
import type { ServiceContract } from '../functions/shared/rpc/contract.js';
import type { AnyService } from '../functions/shared/service.js';

/** Name of the one stack of the app. */
export const STACK_NAME = 'Microservices';

/** Outputs of the stack's shared resources: the API, the log feed, the identity, the WebSocket API. */
export const OUTPUT = {
  apiId: 'ApiId',
  apiStage: 'ApiStage',
  apiUrl: 'ApiUrl',
  logFeedTopicArn: 'LogFeedTopicArn',
  logFeedArchiveQueueUrl: 'LogFeedArchiveQueueUrl',
  logFeedArchiveDlqUrl: 'LogFeedArchiveDlqUrl',
  userPoolId: 'UserPoolId',
  userPoolClientId: 'UserPoolClientId',
  liveFeedApiId: 'LiveFeedApiId',
  liveFeedStage: 'LiveFeedStage',
  liveFeedUrl: 'LiveFeedUrl',
  /** The stack's CloudWatch dashboard (lib/dashboard.ts), read by the Status route and `npm run stats`. */
  dashboardName: 'DashboardName',
  alarmTopicArn: 'AlarmTopicArn',
  /** The prefix of the stack's live settings in SSM Parameter Store (`/Microservices/`). */
  settingsPrefix: 'SettingsPrefix',
} as const;

const pascal = (name: string) =>
  name
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((part) => part[0]?.toUpperCase() + part.slice(1))
    .join('');

/** A resource's name within its service, or nothing for the service's namesake (`movies` of `movies`). */
const within = (service: string, name: string) =>
  service === name ? pascal(service) : pascal(service) + pascal(name);

/** The output name of each kind of declared resource. */
export const outputName = {
  table: (service: string, table: string) => `${within(service, table)}Table`,
  queue: (service: string, queue: string) => `${within(service, queue)}QueueUrl`,
  deadLetterQueue: (service: string, queue: string) => `${within(service, queue)}DlqUrl`,
  logGroup: (service: string, group: string) => `${within(service, group)}LogGroup`,
  functionName: (bundle: string) => `${pascal(bundle)}FunctionName`,
  rpcQueue: (service: string) => `${pascal(service)}RpcQueueUrl`,
  rpcDeadLetterQueue: (service: string) => `${pascal(service)}RpcDlqUrl`,
} as const;

/** Every output of the stack, by name, as CloudFormation returns them. */
export type StackOutputs = Readonly<Record<string, string>>;

/** What a deploy leaves behind for the tests and the scripts. */
export interface Deployment {
  /** AWS-compatible endpoint (local stack), absent for real AWS. */
  endpoint?: string;
  /** Base URL of the API that answers from this machine, ending in `/`. */
  apiBaseUrl: string;
  outputs: StackOutputs;
}

type Names<T> = Extract<keyof NonNullable<T>, string>;

/**
 * The deployed resources, found by what declares them:
 * `stackResources(outputs).table(moviesService, 'movies')`,
 * `.rpcQueue(moviesContract)`, `.shared('apiId')`. A missing output throws, naming it.
 */
export function stackResources(outputs: StackOutputs) {
  const read = (name: string): string => {
    const value = outputs[name];
    if (value === undefined) throw new Error(`the stack has no output ${name}`);
    return value;
  };
  return {
    shared: (key: keyof typeof OUTPUT) => read(OUTPUT[key]),
    table: <S extends AnyService>(service: S, table: Names<S['tables']>) =>
      read(outputName.table(service.name, table)),
    queue: <S extends AnyService>(service: S, queue: Names<S['queues']>) =>
      read(outputName.queue(service.name, queue)),
    deadLetterQueue: <S extends AnyService>(service: S, queue: Names<S['queues']>) =>
      read(outputName.deadLetterQueue(service.name, queue)),
    logGroup: <S extends AnyService>(service: S, group: NonNullable<S['logGroups']>[number]) =>
      read(outputName.logGroup(service.name, group)),
    functionName: <S extends AnyService>(_service: S, bundle: Names<S['functions']>) =>
      read(outputName.functionName(bundle)),
    rpcQueue: (contract: ServiceContract) => read(outputName.rpcQueue(contract.service)),
    rpcDeadLetterQueue: (contract: ServiceContract) => read(outputName.rpcDeadLetterQueue(contract.service)),
  };
}

/** The deployed resources of a deployment; see {@link stackResources}. */
export type StackResources = ReturnType<typeof stackResources>;

/**
 * The API base URL that answers from this machine: on a local stack the
 * execute-api path of the emulator, on AWS the stage URL.
 */
export function apiBaseUrl(outputs: StackOutputs, endpoint?: string): string {
  const out = stackResources(outputs);
  return endpoint
    ? `${endpoint.replace(/\/$/, '')}/_aws/execute-api/${out.shared('apiId')}/${out.shared('apiStage')}/`
    : out.shared('apiUrl');
}

/**
 * The live feed's WebSocket URL that answers from this machine: on a local
 * stack the execute-api path of the emulator, on AWS the stage URL.
 */
export function liveFeedUrl(outputs: StackOutputs, endpoint?: string): string {
  const out = stackResources(outputs);
  return endpoint
    ? `${endpoint.replace(/^http/, 'ws').replace(/\/$/, '')}/_aws/execute-api/${out.shared('liveFeedApiId')}/${out.shared('liveFeedStage')}`
    : out.shared('liveFeedUrl');
}

export function readDeployment(file: string): Deployment {
  return JSON.parse(readFileSync(file, 'utf8')) as Deployment;
}
