import { beforeAll, describe, expect, it } from 'vitest';
import { safeParse } from 'zod/mini';
import { documentedRoutes } from '../../../functions/services.js';
import { apiEvent, lambdaContext } from '../../support/api-events.js';
import { documentedRoutes as routesInDocument } from '../../support/template-routes.js';

let handler: typeof import('../../../functions/docs/handler.js').handler;
beforeAll(async () => {
  ({ handler } = await import('../../../functions/docs/handler.js'));
});

const get = async (resource: string, pathParameters: Record<string, string> | null = null) =>
  handler(apiEvent({ resource, path: resource, pathParameters }), lambdaContext);

describe('the OpenAPI document', () => {
  it('describes every route of every route table, and nothing else', async () => {
    const document = JSON.parse((await get('/openapi.json')).body);
    const documented = routesInDocument(document);
    const declared = Object.values(documentedRoutes()).flatMap((routes) =>
      Object.values(routes).map((r) => `${r.method} ${r.path}`),
    );
    expect(documented.sort()).toEqual(declared.sort());
    expect(document.openapi).toBe('3.1.0');
  });

  it('documents the refresh cookie: set by login, read by refresh and logout, never in a body', async () => {
    const { paths } = JSON.parse((await get('/openapi.json')).body);
    const login = paths['/auth/login'].post;
    expect(login.responses['200'].headers['Set-Cookie'].description).toContain('refresh_token');
    expect(login.responses['200'].content['application/json'].schema.properties).not.toHaveProperty(
      'refreshToken',
    );
    expect(login.responses['429'].headers['Retry-After'].schema).toEqual({ type: 'integer' });
    for (const path of ['/auth/refresh', '/auth/logout']) {
      const operation = paths[path].post;
      expect(operation.parameters).toEqual([
        expect.objectContaining({ name: 'refresh_token', in: 'cookie', required: false }),
      ]);
      expect(operation).not.toHaveProperty('requestBody');
    }
    expect(paths['/auth/logout'].post.responses['204'].headers['Set-Cookie']).toBeDefined();
  });

  it('derives parameters, bodies, responses and security from the declarations', async () => {
    const { paths } = JSON.parse((await get('/openapi.json')).body);
    expect(paths['/downcase'].get.parameters).toEqual([
      {
        name: 'param',
        in: 'query',
        required: true,
        schema: { type: 'string', minLength: 1, maxLength: 4096 },
      },
    ]);
    const create = paths['/tasks'].post;
    expect(create.security).toEqual([{ bearer: [] }]);
    expect(create.requestBody.content['application/json'].schema).toMatchObject({
      type: 'object',
      required: ['name'],
      additionalProperties: false,
    });
    expect(Object.keys(create.responses).sort()).toEqual([
      '201',
      '400',
      '401',
      '409',
      '413',
      '415',
      '422',
      '429',
      '500',
    ]);
    expect(paths['/tasks/{id}'].delete.parameters[0]).toMatchObject({
      name: 'id',
      in: 'path',
      required: true,
    });
    expect(paths['/search'].get.security).toEqual([]);
  });

  it('states the Idempotency-Key header on every state-changing route but the three that hand out tokens', async () => {
    const { paths } = JSON.parse((await get('/openapi.json')).body);
    const keyed: string[] = [];
    const unkeyed: string[] = [];
    for (const [path, operations] of Object.entries(paths as Record<string, Record<string, any>>)) {
      for (const [method, op] of Object.entries(operations)) {
        if (!['post', 'put', 'patch', 'delete'].includes(method)) {
          expect(op.parameters.some((p: { name: string }) => p.name === 'Idempotency-Key')).toBe(false);
          continue;
        }
        const header = op.parameters.find((p: { name: string }) => p.name === 'Idempotency-Key');
        if (!header) {
          unkeyed.push(`${method.toUpperCase()} ${path}`);
          continue;
        }
        keyed.push(`${method.toUpperCase()} ${path}`);
        expect(header).toMatchObject({ in: 'header', required: false, schema: { maxLength: 255 } });
        expect(Object.keys(op.responses)).toEqual(expect.arrayContaining(['400', '409', '422']));
        const success = Object.keys(op.responses).find((status) => status.startsWith('2')) as string;
        expect(op.responses[success].headers['Idempotent-Replayed']).toBeDefined();
        expect(op.responses['409'].headers['Retry-After']).toBeDefined();
      }
    }
    // Login, refresh and logout answer with tokens or the session cookie, which are never stored.
    expect(unkeyed.sort()).toEqual(['POST /auth/login', 'POST /auth/logout', 'POST /auth/refresh']);
    expect(keyed).toEqual(
      expect.arrayContaining(['POST /bookings', 'DELETE /bookings/{id}', 'POST /tasks', 'PATCH /tasks/{id}']),
    );
    const pattern = new RegExp(paths['/tasks'].post.parameters[0].schema.pattern);
    expect(pattern.test('8e03978e-40d5-43e8-bc93-6894a57f9324')).toBe(true);
    for (const bad of ['', ' a', 'a ', 'a\u0007b', 'clé']) expect(pattern.test(bad), bad).toBe(false);
  });

  it('keeps the constraints of query numbers: integer page and per_page, lat and lng ranges', async () => {
    const { paths } = JSON.parse((await get('/openapi.json')).body);
    const schemas = Object.fromEntries(
      paths['/search'].get.parameters.map((p: { name: string; schema: unknown }) => [p.name, p.schema]),
    );
    expect(schemas.page).toMatchObject({ type: 'integer', minimum: 1, default: 1 });
    expect(schemas.per_page).toMatchObject({ type: 'integer', minimum: 1, maximum: 100, default: 10 });
    expect(schemas.lat).toMatchObject({ type: 'number', minimum: -90, maximum: 90 });
    expect(schemas.lng).toMatchObject({ type: 'number', minimum: -180, maximum: 180 });
    const limit = paths['/movies'].get.parameters.find((p: { name: string }) => p.name === 'limit');
    expect(limit).toMatchObject({ required: false, schema: { type: 'integer', minimum: 1, maximum: 100 } });
  });

  it('gives request examples that the routes themselves accept', async () => {
    const { paths } = JSON.parse((await get('/openapi.json')).body);
    const routes = Object.values(documentedRoutes()).flatMap((table) => Object.values(table));
    const checked = routes.flatMap((route) => {
      const examples = paths[route.path][route.method.toLowerCase()].requestBody?.content['application/json']
        .schema.examples as unknown[] | undefined;
      return (examples ?? []).map((example) => ({
        route: `${route.method} ${route.path}`,
        example,
        body: route.body,
      }));
    });
    expect(checked.map((c) => c.route)).toContain('POST /things');
    for (const { route, example, body } of checked) {
      expect(body && safeParse(body, example).success, route).toBe(true);
    }
  });

  it('documents both statuses of PUT /tasks/{id}: 201 on create, 200 on replace', async () => {
    const { paths } = JSON.parse((await get('/openapi.json')).body);
    const { responses } = paths['/tasks/{id}'].put;
    expect(responses['200'].content['application/json'].schema).toMatchObject({
      required: expect.any(Array),
    });
    expect(responses['201'].content).toEqual(responses['200'].content);
  });

  it('says PATCH /tasks/{id} needs at least one field', async () => {
    const { paths } = JSON.parse((await get('/openapi.json')).body);
    expect(paths['/tasks/{id}'].patch.requestBody.content['application/json'].schema).toMatchObject({
      minProperties: 1,
    });
  });

  it('states the signup password policy as lengths and patterns', async () => {
    const { paths } = JSON.parse((await get('/openapi.json')).body);
    const password =
      paths['/auth/signup'].post.requestBody.content['application/json'].schema.properties.password;
    expect(password).toMatchObject({ type: 'string', minLength: 8, maxLength: 256 });
    const patterns: string[] = password.allOf.map((p: { pattern: string }) => p.pattern);
    const meets = (candidate: string) => patterns.every((p) => new RegExp(p).test(candidate));
    expect(meets('Abcdef1!')).toBe(true);
    for (const weak of ['abcdef1!', 'ABCDEF1!', 'Abcdefg!', 'Abcdefg1']) expect(meets(weak)).toBe(false);
  });

  it('states the storable range of stored numbers and the email local-part limit', async () => {
    const { paths } = JSON.parse((await get('/openapi.json')).body);
    const rating = paths['/movies'].post.requestBody.content['application/json'].schema.properties.rating;
    expect(rating).toMatchObject({
      minimum: 0,
      maximum: 10,
      not: { exclusiveMinimum: -1e-130, exclusiveMaximum: 1e-130, not: { const: 0 } },
    });
    const email = paths['/auth/login'].post.requestBody.content['application/json'].schema.properties.email;
    expect(new RegExp(email.pattern).test(`${'a'.repeat(64)}@example.com`)).toBe(true);
    expect(new RegExp(email.pattern).test(`${'a'.repeat(65)}@example.com`)).toBe(false);
  });

  it('lists 415 on every route with a body, 401 and bearer security on every route needing a token', async () => {
    const { paths } = JSON.parse((await get('/openapi.json')).body);
    for (const [path, operations] of Object.entries(paths as Record<string, Record<string, any>>)) {
      for (const [method, op] of Object.entries(operations)) {
        const where = `${method.toUpperCase()} ${path}`;
        if (op.requestBody)
          expect(Object.keys(op.responses), where).toEqual(expect.arrayContaining(['413', '415']));
        if (op.security.length > 0) expect(Object.keys(op.responses), where).toContain('401');
      }
    }
    expect(paths['/tasks'].get.security).toEqual([{ bearer: [] }]);
  });

  it('states who may call each route: security, the role, its 401 and 403, and a line in the summary', async () => {
    const { paths } = JSON.parse((await get('/openapi.json')).body);
    const addMovie = paths['/movies'].post;
    expect(addMovie.security).toEqual([{ bearer: [] }]);
    expect(addMovie['x-required-role']).toBe('admin');
    expect(addMovie.summary).toMatch(/Requires an admin/);
    expect(Object.keys(addMovie.responses)).toEqual(expect.arrayContaining(['401', '403']));
    const me = paths['/users/me'].get;
    expect(me['x-required-role']).toBe('user');
    expect(me.summary).toMatch(/Requires a signed-in user/);
    expect(Object.keys(me.responses)).toContain('401');
    expect(Object.keys(me.responses)).not.toContain('403');
    expect(paths['/movies'].get.summary).toMatch(/Anyone may call/);
    expect(paths['/users']?.post).toBeUndefined();
  });
});

describe('Swagger UI', () => {
  it('serves a page that loads its own files and the document, from no CDN', async () => {
    const page = await get('/docs');
    expect(page.headers?.['content-type']).toContain('text/html');
    expect(page.body).toContain('src="docs/swagger-ui-bundle.js"');
    expect(page.body).toContain('src="docs/swagger-start.js"');
    expect(page.body).not.toMatch(/https?:\/\//);
    const start = await get('/docs/{asset}', { asset: 'swagger-start.js' });
    expect(start.body).toContain("url: 'openapi.json'");
    expect(start.body).not.toMatch(/https?:\/\//);
  });

  it('serves the Swagger UI files with their content types', async () => {
    const css = await get('/docs/{asset}', { asset: 'swagger-ui.css' });
    expect(css.statusCode).toBe(200);
    expect(css.headers?.['content-type']).toContain('text/css');
    expect(css.body.length).toBeGreaterThan(10_000);
    const bad = await get('/docs/{asset}', { asset: '../../etc/passwd' });
    expect(bad.statusCode).toBe(400);
  });
});
