/**
 * The right to search the stack's function logs for a trace, given to the
 * functions declared with `stackLogs: 'read'` (the admins' trace reader).
 */
import { ArnFormat, Lazy, Stack } from 'aws-cdk-lib';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { ENV } from '../functions/shared/env-names.js';
import { logGroupPrefix } from './log-group-names.js';
import { ServiceFunction } from './service-function.js';

const readers = new WeakSet<ServiceFunction>();

/**
 * Lets `fn` run FilterLogEvents on the stack's function log groups
 * (`/microservices/<stack>/*`, nothing else of the account), and tells it
 * their names. Not DescribeLogGroups: IAM cannot scope that action to a
 * prefix, so the names come from the stack instead. The readers' own groups
 * are left out of the list: their lines name the ids people look up, and
 * belong to no trace looked for (functions/shared/trace/search.ts).
 */
export function allowReadingStackLogs(fn: ServiceFunction): void {
  readers.add(fn);
  const stack = Stack.of(fn);
  fn.fn.addToRolePolicy(
    new PolicyStatement({
      actions: ['logs:FilterLogEvents'],
      resources: [
        stack.formatArn({
          service: 'logs',
          resource: 'log-group',
          resourceName: `${logGroupPrefix(stack.stackName)}*`,
          arnFormat: ArnFormat.COLON_RESOURCE_NAME,
        }),
      ],
    }),
  );
  // Read when the template is written, once every function of the stack exists.
  fn.setEnv(
    ENV.stackLogGroups,
    Lazy.string({
      produce: () =>
        stack.node
          .findAll()
          .filter((c): c is ServiceFunction => c instanceof ServiceFunction && !readers.has(c))
          .map((c) => c.logGroupName)
          .sort()
          .join(','),
    }),
  );
}
