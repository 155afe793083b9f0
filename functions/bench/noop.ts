import type { APIGatewayProxyResult } from 'aws-lambda';
import { logger } from '../shared/logger.js';

/**
 * The benchmark's floor: answers 200 and logs one line, as every real handler
 * does (the local emulator waits for log output when a function prints nothing).
 */
export const handler = async (): Promise<APIGatewayProxyResult> => {
  logger.info('noop');
  return { statusCode: 200, headers: { 'content-type': 'application/json' }, body: '{}' };
};
