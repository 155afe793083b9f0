import type { APIGatewayProxyResult } from 'aws-lambda';
import { logger } from '../shared/logger.js';

/** `npm run bench` edits this line to time a redeploy of a one-line handler change. */
const VERSION = 'initial';

/**
 * The benchmark's floor: answers 200 and logs one line, as every real handler
 * does (the local emulator waits for log output when a function prints nothing).
 */
export const handler = async (): Promise<APIGatewayProxyResult> => {
  logger.info('noop');
  return {
    statusCode: 200,
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ version: VERSION }),
  };
};
