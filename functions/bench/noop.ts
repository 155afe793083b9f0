import middy from '@middy/core';
import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context } from 'aws-lambda';
import { requestMetrics } from '../shared/http/request-metrics.js';
import { logger } from '../shared/logger.js';
import { traceRequests } from '../shared/trace/http.js';
import { benchRoutes } from './routes.js';

/** `npm run bench` edits this line to time a redeploy of a one-line handler change. */
const VERSION = 'initial';

/**
 * The benchmark's floor: answers 200 and logs one line, as every real handler
 * does (the local emulator waits for log output when a function prints nothing).
 */
const answer = async (): Promise<APIGatewayProxyResult> => {
  logger.info('noop');
  return {
    statusCode: 200,
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ version: VERSION }),
  };
};

/**
 * The same answer through the same middy chain, with and without the metrics
 * middleware every HTTP function runs (functions/shared/http/request-metrics.ts):
 * the bench's cost of metrics per request is the difference, in one function.
 */
const plain = middy<APIGatewayProxyEvent, APIGatewayProxyResult, Error, Context>().handler(answer);
const metered = middy<APIGatewayProxyEvent, APIGatewayProxyResult, Error, Context>()
  .use(requestMetrics(() => 'noopWithMetrics'))
  .handler(answer);

/** The same with the trace of every HTTP request (functions/shared/trace/http.ts): its context, its span line. */
const traced = middy<APIGatewayProxyEvent, APIGatewayProxyResult, Error, Context>()
  .use(traceRequests())
  .handler(answer);

export const handler = (event: APIGatewayProxyEvent, context: Context): Promise<APIGatewayProxyResult> =>
  event.resource === benchRoutes.noopWithMetrics.path
    ? metered(event, context)
    : event.resource === benchRoutes.noopWithTrace.path
      ? traced(event, context)
      : plain(event, context);
