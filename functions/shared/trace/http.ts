import type { MiddlewareObj } from '@middy/core';
import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context } from 'aws-lambda';
import { TRACEPARENT, traceparentHeader } from './carriers.js';
import { formatTraceparent, parseTraceparent } from './context.js';
import { endSpan, enterSpan, errorOutcome, type Span, startSpan } from './span.js';

/**
 * The trace of every HTTP request, first in the middleware chain: the request
 * continues the client's `traceparent` when it sent a valid one, or starts a
 * trace; its SERVER span (`POST /bookings`) is active for everything the
 * request does, and is written when the request ends, with the final status
 * (a 5xx is an error, as OpenTelemetry counts server spans). The response
 * carries `traceparent` naming that span, so the caller can find the trace.
 * First because it makes the span active for the rest of the invocation
 * before anything awaits (a middleware cannot wrap the ones after it).
 */
export function traceRequests(): MiddlewareObj<APIGatewayProxyEvent, APIGatewayProxyResult, Error, Context> {
  const spans = new WeakMap<object, Span>();
  const end = (request: {
    event: APIGatewayProxyEvent;
    response?: APIGatewayProxyResult | null;
    error?: Error | null;
  }) => {
    const span = spans.get(request);
    if (!span) return;
    spans.delete(request);
    const status = request.response?.statusCode ?? 500;
    span.attributes['http.response.status_code'] = status;
    if (request.response) {
      request.response.headers = { ...request.response.headers, [TRACEPARENT]: formatTraceparent(span) };
    }
    endSpan(
      span,
      status < 500
        ? { status: 'ok' }
        : request.error
          ? errorOutcome(request.error)
          : { status: 'error', errorCode: `HTTP${status}` },
    );
  };
  return {
    before: (request) => {
      const { event } = request;
      const sent = traceparentHeader(event.headers);
      const parent = parseTraceparent(sent);
      const span = startSpan(`${event.httpMethod} ${event.resource}`, 'SERVER', {
        parent: parent ?? null,
        attributes: {
          requestId: event.requestContext?.requestId ?? 'unknown',
          'http.request.method': event.httpMethod,
          'http.route': event.resource,
          // A traceparent that does not parse is replaced, never trusted; say so.
          ...(sent !== undefined && !parent ? { 'traceparent.invalid': true } : {}),
        },
      });
      spans.set(request, span);
      enterSpan(span);
    },
    after: end,
    onError: end,
  };
}
