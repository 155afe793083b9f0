import { LogFormatter, LogItem } from '@aws-lambda-powertools/logger';
import type { LogAttributes, UnformattedAttributes } from '@aws-lambda-powertools/logger/types';
import { activeSpan } from './span.js';

/**
 * Powertools' log format (the keys of its own formatter, which the package
 * does not export), plus the active span's `trace_id` and `span_id` (the
 * field names OpenTelemetry gives trace context in JSON logs) on every line
 * written while a span is active. They are read per line from the span's
 * async context, not appended as logger keys: the records of one batch run in
 * parallel, each in a trace of its own. A line that names its own ids (a span
 * line) keeps them.
 */
export class TraceLogFormatter extends LogFormatter {
  formatAttributes(attributes: UnformattedAttributes, additional: LogAttributes): LogItem {
    const span = activeSpan();
    return new LogItem({
      attributes: {
        level: attributes.logLevel,
        message: attributes.message,
        timestamp: this.formatTimestamp(attributes.timestamp),
        service: attributes.serviceName,
        cold_start: attributes.lambdaContext?.coldStart,
        function_arn: attributes.lambdaContext?.invokedFunctionArn,
        function_memory_size: attributes.lambdaContext?.memoryLimitInMB,
        function_name: attributes.lambdaContext?.functionName,
        function_request_id: attributes.lambdaContext?.awsRequestId,
        sampling_rate: attributes.sampleRateValue,
        xray_trace_id: attributes.xRayTraceId,
        ...(span ? { trace_id: span.traceId, span_id: span.spanId } : {}),
      },
    }).addAttributes(additional);
  }
}
