import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { apiEvent, lambdaContext } from '../../support/api-events.js';

/** The parameter store as the functions' Powertools Parameters would read it (mocked: no AWS in unit tests). */
const store = vi.hoisted(() => ({ values: {} as Record<string, string>, reads: 0 }));
vi.mock('@aws-lambda-powertools/parameters/ssm', () => ({
  SSMProvider: class {
    async getParametersByName(parameters: Record<string, unknown>) {
      store.reads += 1;
      return Object.fromEntries(Object.keys(parameters).map((name) => [name, store.values[name]]));
    }
  },
}));

const env = { SETTINGS_PREFIX: '/Test/', POWERTOOLS_SERVICE_NAME: 'things' };
const saved = Object.fromEntries(Object.keys(env).map((name) => [name, process.env[name]]));
let module: {
  handler: (event: unknown, context: unknown) => Promise<unknown>;
  logger: { getLevelName(): string };
};

beforeAll(async () => {
  Object.assign(process.env, env);
  vi.resetModules();
  const [{ httpHandler }, { defineRoutes }, { logger }] = await Promise.all([
    import('../../../functions/shared/http/middleware.js'),
    import('../../../functions/shared/http/route.js'),
    import('../../../functions/shared/logger.js'),
  ]);
  const routes = defineRoutes({
    read: { method: 'GET', path: '/things', summary: 'read', auth: 'none' },
  });
  module = { handler: httpHandler(routes, { read: async () => undefined }) as never, logger };
});

afterAll(() => {
  for (const [name, value] of Object.entries(saved))
    if (value === undefined) delete process.env[name];
    else process.env[name] = value;
  vi.resetModules();
});

const invoke = () =>
  module.handler(apiEvent({ httpMethod: 'GET', resource: '/things', path: '/things' }), lambdaContext);

describe('live settings in the HTTP middleware', () => {
  it("applies the service's log level before each request, and keeps it on warm starts", async () => {
    store.values['/Test/things/logLevel'] = 'DEBUG';
    for (let i = 0; i < 3; i++) {
      await invoke();
      // Powertools' injectLambdaContext puts the logger back at its initial level on warm starts: the setting wins.
      expect(module.logger.getLevelName()).toBe('DEBUG');
    }
    expect(store.reads).toBeGreaterThanOrEqual(1);
  });
});
