import { Logger } from '@aws-lambda-powertools/logger';
import { TraceLogFormatter } from './trace/log-formatter.js';
import { SPAN_MESSAGE, writeSpansWith } from './trace/span.js';

/**
 * The one Powertools logger of a function. Its service name comes from
 * POWERTOOLS_SERVICE_NAME, set by the function construct. Every line written
 * while a span is active carries its `trace_id` and `span_id`.
 */
export const logger = new Logger({ logFormatter: new TraceLogFormatter() });

/**
 * Writes span lines (./trace/span.ts) at INFO whatever the service's live log
 * level: an operator who quiets a service to WARN still gets whole traces.
 */
const spanLogger = new Logger({ logLevel: 'INFO', logFormatter: new TraceLogFormatter() });
writeSpansWith((line) => spanLogger.info(SPAN_MESSAGE, { ...line }));
