import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  contextOfRecord,
  sqsTraceFields,
  traceparentHeader,
} from '../../../functions/shared/trace/carriers.js';
import {
  formatTraceparent,
  newSpanId,
  newTraceId,
  parseAwsTraceHeader,
  parseTraceparent,
  toAwsTraceHeader,
} from '../../../functions/shared/trace/context.js';

const TRACE = '4bf92f3577b34da6a3ce929d0e0e4736';
const SPAN = '00f067aa0ba902b7';

describe('traceparent', () => {
  it('reads the example of the W3C specification', () => {
    expect(parseTraceparent(`00-${TRACE}-${SPAN}-01`)).toEqual({
      traceId: TRACE,
      spanId: SPAN,
      sampled: true,
    });
    expect(parseTraceparent(`00-${TRACE}-${SPAN}-00`)).toEqual({
      traceId: TRACE,
      spanId: SPAN,
      sampled: false,
    });
  });

  it.each([
    ['absent', undefined],
    ['empty', ''],
    ['garbage', 'not-a-traceparent'],
    ['an all-zero trace id', `00-${'0'.repeat(32)}-${SPAN}-01`],
    ['an all-zero span id', `00-${TRACE}-${'0'.repeat(16)}-01`],
    ['upper-case hex', `00-${TRACE.toUpperCase()}-${SPAN}-01`],
    ['a short trace id', `00-${TRACE.slice(1)}-${SPAN}-01`],
    ['version ff', `ff-${TRACE}-${SPAN}-01`],
    ['version 00 with a fifth field', `00-${TRACE}-${SPAN}-01-extra`],
    ['flags that are not hex', `00-${TRACE}-${SPAN}-zz`],
    ['another request id in its place', `00-${'req-1'.padEnd(32, 'x')}-${SPAN}-01`],
  ])('refuses %s (the request then starts a trace of its own)', (_, value) => {
    expect(parseTraceparent(value)).toBeUndefined();
  });

  it('accepts a future version by its first four fields', () => {
    expect(parseTraceparent(`01-${TRACE}-${SPAN}-01-whatever`)).toEqual({
      traceId: TRACE,
      spanId: SPAN,
      sampled: true,
    });
  });

  it('reads back what it writes, for any ids it makes', () => {
    fc.assert(
      fc.property(fc.boolean(), (sampled) => {
        const context = { traceId: newTraceId(), spanId: newSpanId(), sampled };
        expect(parseTraceparent(formatTraceparent(context))).toEqual(context);
        expect(parseAwsTraceHeader(toAwsTraceHeader(context))).toEqual(context);
      }),
      { numRuns: 200 },
    );
  });

  it('spells the context the X-Ray way for SQS', () => {
    expect(toAwsTraceHeader({ traceId: TRACE, spanId: SPAN, sampled: true })).toBe(
      `Root=1-4bf92f35-77b34da6a3ce929d0e0e4736;Parent=${SPAN};Sampled=1`,
    );
    expect(parseAwsTraceHeader('Root=1-5759e988-bd862e3fe1be46a994272793;Sampled=1')).toBeUndefined();
  });
});

describe('carriers', () => {
  const context = { traceId: TRACE, spanId: SPAN, sampled: true };

  it('finds the header whatever its spelling', () => {
    expect(traceparentHeader({ TraceParent: 'x' })).toBe('x');
    expect(traceparentHeader(null)).toBeUndefined();
  });

  it('puts the context in an SQS message attribute and in AWSTraceHeader', () => {
    expect(sqsTraceFields(context)).toEqual({
      MessageAttributes: { traceparent: { DataType: 'String', StringValue: `00-${TRACE}-${SPAN}-01` } },
      MessageSystemAttributes: {
        AWSTraceHeader: {
          DataType: 'String',
          StringValue: `Root=1-4bf92f35-77b34da6a3ce929d0e0e4736;Parent=${SPAN};Sampled=1`,
        },
      },
    });
    expect(sqsTraceFields(undefined)).toEqual({});
  });

  it('reads a record’s context from its body, else its attributes, else AWSTraceHeader', () => {
    const other = { traceId: newTraceId(), spanId: newSpanId(), sampled: true };
    const third = { traceId: newTraceId(), spanId: newSpanId(), sampled: true };
    const record = (body: unknown, attribute?: string, header?: string) => ({
      body: JSON.stringify(body),
      messageAttributes: attribute ? { traceparent: { stringValue: attribute } } : {},
      attributes: header ? { AWSTraceHeader: header } : {},
    });
    expect(
      contextOfRecord(
        record(
          { traceparent: formatTraceparent(context) },
          formatTraceparent(other),
          toAwsTraceHeader(third),
        ),
      ),
    ).toEqual(context);
    expect(contextOfRecord(record({}, formatTraceparent(other), toAwsTraceHeader(third)))).toEqual(other);
    expect(contextOfRecord(record({ traceparent: 'bad' }, undefined, toAwsTraceHeader(third)))).toEqual(
      third,
    );
    expect(contextOfRecord({ body: 'not json traceparent' })).toBeUndefined();
  });
});
