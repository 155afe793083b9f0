import { Stack } from 'aws-cdk-lib';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { IQueue, Queue } from 'aws-cdk-lib/aws-sqs';
import { ENV } from '../functions/shared/env-names.js';
import {
  feedQueueName,
  type HealthConfig,
  healthChecksOf,
  maxDeadLettersOf,
  RPC_QUEUE,
} from '../functions/shared/health.js';
import { DEFAULT_MAX_DEAD_LETTERS } from '../functions/shared/service.js';
import type { DeclaredService } from './declared-service.js';

/** The queue a service's check names (see `consumedQueues`), as deployed. */
function queueOf(service: DeclaredService, name: string): Queue {
  const own = service.queues[name];
  if (own) return own;
  if (name === RPC_QUEUE && service.endpoint) return service.endpoint.queue;
  const feed = Object.entries(service.feedQueues).find(([bundle]) => feedQueueName(bundle) === name);
  if (feed) return feed[1];
  throw new Error(`${service.declaration.name} has no deployed queue "${name}" to check`);
}

function deadLetterQueueOf(service: DeclaredService, queueName: string): IQueue {
  const dlq = queueOf(service, queueName).deadLetterQueue?.queue;
  if (!dlq) throw new Error(`queue ${service.declaration.name}.${queueName} has no dead-letter queue`);
  return dlq;
}

/**
 * Lets every function declared with `healthChecks` run every deployed
 * service's checks (derived from each declaration by `healthChecksOf`): it
 * may call `dynamodb:DescribeTable` on the checked tables and
 * `sqs:GetQueueAttributes` on the checked queues, nothing more, and is told
 * them in `HEALTH_CHECKS`. Called once every service is deployed.
 */
export function allowHealthChecks(services: readonly DeclaredService[]): void {
  const checkers = services.flatMap((service) =>
    Object.entries(service.functions)
      .filter(([bundle]) => service.declaration.functions[bundle]?.healthChecks)
      .map(([, fn]) => fn),
  );
  if (checkers.length === 0) return;

  const config: Record<string, HealthConfig[string]> = {};
  const tableArns: string[] = [];
  const queueArns: string[] = [];
  for (const service of services) {
    const checks: Array<HealthConfig[string]['checks'][number]> = [];
    for (const check of healthChecksOf(service.declaration)) {
      if (check.kind === 'table') {
        const table = service.tables[check.name];
        if (!table) throw new Error(`${service.declaration.name} has no deployed table "${check.name}"`);
        tableArns.push(table.tableArn);
        checks.push(['table', check.name, table.tableName]);
      } else if (check.kind === 'queue') {
        const queue = queueOf(service, check.name);
        queueArns.push(queue.queueArn);
        checks.push(['queue', check.name, queue.queueUrl]);
      } else {
        // Found at run time through the queue's redrive policy; only its grant is made here.
        queueArns.push(deadLetterQueueOf(service, check.queue ?? check.name).queueArn);
      }
    }
    const limit = maxDeadLettersOf(service.declaration);
    config[service.declaration.name] = {
      checks,
      ...(limit === DEFAULT_MAX_DEAD_LETTERS ? {} : { maxDeadLetters: limit }),
    };
  }

  const scope = services[0] as DeclaredService;
  for (const fn of checkers) {
    if (tableArns.length > 0)
      fn.fn.addToRolePolicy(
        new PolicyStatement({ actions: ['dynamodb:DescribeTable'], resources: tableArns }),
      );
    if (queueArns.length > 0)
      fn.fn.addToRolePolicy(
        new PolicyStatement({ actions: ['sqs:GetQueueAttributes'], resources: queueArns }),
      );
    fn.setEnv(ENV.healthChecks, Stack.of(scope).toJsonString(config));
  }
}
