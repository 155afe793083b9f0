/**
 * The names of the functions' log groups: `/microservices/<stack>/<service>/<function>`
 * (the function's name in its service's declaration, without the service
 * prefix: `/microservices/Microservices/bookings/saga`). Predictable, so
 * `aws logs tail`, subscription filters, `npm run logs` and `npm run trace`
 * can name them. No aws-cdk-lib here: the scripts read this quickly.
 */

/** Where every stack's function log groups live. */
export const LOG_GROUP_ROOT = '/microservices';

/** The prefix of one stack's function log groups. */
export const logGroupPrefix = (stack: string) => `${LOG_GROUP_ROOT}/${stack}/`;

/** A function's name within its service: its bundle name without the service prefix (`bookings-saga` -> `saga`). */
export const functionShortName = (service: string, bundle: string) =>
  bundle.startsWith(`${service}-`) ? bundle.slice(service.length + 1) : bundle;

/** The log group of a service's function. */
export const functionLogGroupName = (stack: string, service: string, bundle: string) =>
  `${logGroupPrefix(stack)}${service}/${functionShortName(service, bundle)}`;

/** The service and function a log group of `stack` belongs to, or undefined for any other group. */
export function functionOfLogGroup(
  stack: string,
  logGroupName: string,
): { service: string; function: string } | undefined {
  const prefix = logGroupPrefix(stack);
  if (!logGroupName.startsWith(prefix)) return undefined;
  const [service, fn, ...rest] = logGroupName.slice(prefix.length).split('/');
  return service && fn && rest.length === 0 ? { service, function: fn } : undefined;
}
