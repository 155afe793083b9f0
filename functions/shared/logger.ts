import { Logger } from '@aws-lambda-powertools/logger';

/**
 * The one Powertools logger of a function. Its service name comes from
 * POWERTOOLS_SERVICE_NAME, set by the function construct.
 */
export const logger = new Logger();
