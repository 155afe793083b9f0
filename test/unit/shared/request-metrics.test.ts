import { beforeEach, describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import { NotFoundError, TooManyRequestsError, UnauthorizedError } from '../../../functions/shared/errors.js';
import { httpHandler } from '../../../functions/shared/http/middleware.js';
import { defineRoutes } from '../../../functions/shared/http/route.js';
import { recordMetric } from '../../../functions/shared/metrics.js';
import { METRIC } from '../../../functions/shared/metrics-catalog.js';
import { apiEvent, lambdaContext } from '../../support/api-events.js';
import { type EmfDocument, sumOf, takeEmf, valuesOf } from '../../support/emf.js';

// The unit project runs as service `unit` (vitest.config.ts), as a function runs as its declared service.
const SERVICE = { service: 'unit' };
const READ = { ...SERVICE, operation: 'unit.read' };

const routes = defineRoutes({
  read: {
    method: 'GET',
    path: '/things/{id}',
    summary: 'read',
    auth: 'none',
    params: z.object({ id: z.string().min(1) }),
    query: z.object({ fail: z.enum(['none', 'notfound', 'auth', 'throttled', 'crash']).default('none') }),
  },
  slow: { method: 'GET', path: '/slow', summary: 'slow', auth: 'none' },
});

const failures = {
  none: undefined,
  notfound: new NotFoundError('thing t1 not found'),
  auth: new UnauthorizedError('token expired'),
  throttled: new TooManyRequestsError('too many', 30),
  crash: new Error('disk on fire'),
};

const handler = httpHandler(routes, {
  read: async ({ query }) => {
    const failure = failures[query.fail];
    if (failure) throw failure;
    // What the route's own calls record (an RPC call, a feed event) goes out with the request's metrics.
    recordMetric(METRIC.feedPublished, 1);
  },
  slow: async () => {
    await new Promise((resolve) => setTimeout(resolve, 30));
  },
});

const read = async (fail: keyof typeof failures) => {
  const response = await handler(
    apiEvent({
      httpMethod: 'GET',
      resource: '/things/{id}',
      pathParameters: { id: 't1' },
      queryStringParameters: { fail },
    }),
    lambdaContext,
  );
  return { status: response.statusCode, emf: takeEmf() };
};

const counts = (emf: EmfDocument[], dimensions: Record<string, string>) =>
  Object.fromEntries(
    ['Requests', 'Errors4xx', 'Errors5xx', 'Throttled'].map((name) => [name, sumOf(emf, name, dimensions)]),
  );

beforeEach(() => {
  takeEmf();
});

describe('metrics of every HTTP route', () => {
  it('counts a request, its latency and no errors, under {service} and {service, operation}', async () => {
    const { status, emf } = await read('none');
    expect(status).toBe(204);
    for (const dimensions of [SERVICE, READ]) {
      expect(counts(emf, dimensions)).toEqual({ Requests: 1, Errors4xx: 0, Errors5xx: 0, Throttled: 0 });
      expect(valuesOf(emf, 'Latency', dimensions)).toHaveLength(1);
    }
  });

  it('writes the namespace, the units and both dimension sets in one EMF line per operation', async () => {
    const { emf } = await read('none');
    const request = emf.find((document) => document.operation === 'unit.read');
    expect(request?._aws.CloudWatchMetrics).toEqual([
      {
        Namespace: 'Microservices',
        Dimensions: expect.arrayContaining([['service', 'operation'], ['service']]),
        Metrics: expect.arrayContaining([
          { Name: 'Requests', Unit: 'Count' },
          { Name: 'Latency', Unit: 'Milliseconds' },
          { Name: 'Errors4xx', Unit: 'Count' },
          { Name: 'Errors5xx', Unit: 'Count' },
          { Name: 'Throttled', Unit: 'Count' },
        ]),
      },
    ]);
    expect(request?._aws.CloudWatchMetrics[0]?.Dimensions).toHaveLength(2);
    // The route's feed event: recorded during the request, written with it, under {service} only.
    expect(sumOf(emf, 'FeedPublished', SERVICE)).toBe(1);
    expect(emf).toHaveLength(2);
  });

  it.each([
    ['notfound', 404, { Requests: 1, Errors4xx: 1, Errors5xx: 0, Throttled: 0 }],
    ['auth', 401, { Requests: 1, Errors4xx: 1, Errors5xx: 0, Throttled: 0 }],
    ['throttled', 429, { Requests: 1, Errors4xx: 1, Errors5xx: 0, Throttled: 1 }],
    ['crash', 500, { Requests: 1, Errors4xx: 0, Errors5xx: 1, Throttled: 0 }],
  ] as const)('counts a %s answer (%i) by its final status', async (fail, expected, expectedCounts) => {
    const { status, emf } = await read(fail);
    expect(status).toBe(expected);
    expect(counts(emf, READ)).toEqual(expectedCounts);
    expect(counts(emf, SERVICE)).toEqual(expectedCounts);
  });

  it('counts a request refused by validation (400) under its route', async () => {
    const response = await handler(
      apiEvent({ httpMethod: 'GET', resource: '/things/{id}', pathParameters: { id: '' } }),
      lambdaContext,
    );
    expect(response.statusCode).toBe(400);
    expect(counts(takeEmf(), READ)).toEqual({ Requests: 1, Errors4xx: 1, Errors5xx: 0, Throttled: 0 });
  });

  it('times the whole request', async () => {
    await handler(apiEvent({ httpMethod: 'GET', resource: '/slow' }), lambdaContext);
    const [latency] = valuesOf(takeEmf(), 'Latency', { ...SERVICE, operation: 'unit.slow' });
    expect(latency).toBeGreaterThanOrEqual(25);
  });

  it('gives a request for an undeclared route no operation: its name would come from the caller', async () => {
    const response = await handler(apiEvent({ httpMethod: 'GET', resource: '/nowhere' }), lambdaContext);
    expect(response.statusCode).toBe(500);
    const emf = takeEmf();
    expect(counts(emf, SERVICE)).toEqual({ Requests: 1, Errors4xx: 0, Errors5xx: 1, Throttled: 0 });
    expect(emf.every((document) => !('operation' in document))).toBe(true);
  });

  it('writes nothing twice: each request is written once, as it ends', async () => {
    await read('none');
    await read('notfound');
    expect(takeEmf()).toEqual([]);
  });
});

describe('cold starts', () => {
  it("are counted on an execution environment's first invocation only, by function name", async () => {
    // Lambda says how the environment started; Powertools counts a cold start only for `on-demand`.
    vi.stubEnv('AWS_LAMBDA_INITIALIZATION_TYPE', 'on-demand');
    vi.resetModules();
    try {
      const { withMetrics } = await import('../../../functions/shared/metrics.js');
      const handle = withMetrics(async () => 'done');
      await handle({}, lambdaContext);
      await handle({}, lambdaContext);
      const emf = takeEmf();
      expect(sumOf(emf, 'ColdStart', { ...SERVICE, function_name: 'unit-test' })).toBe(1);
      expect(emf).toHaveLength(1);
    } finally {
      vi.unstubAllEnvs();
    }
  });
});
