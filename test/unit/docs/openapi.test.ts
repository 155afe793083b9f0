import { beforeAll, describe, expect, it } from 'vitest';
import { API_ROUTES } from '../../../functions/docs/api-routes.js';
import { apiEvent, lambdaContext } from '../../support/api-events.js';

let handler: typeof import('../../../functions/docs/handler.js').handler;
beforeAll(async () => {
  ({ handler } = await import('../../../functions/docs/handler.js'));
});

const get = async (resource: string, pathParameters: Record<string, string> | null = null) =>
  handler(apiEvent({ resource, path: resource, pathParameters }), lambdaContext);

describe('the OpenAPI document', () => {
  it('describes every route of every route table, and nothing else', async () => {
    const document = JSON.parse((await get('/openapi.json')).body);
    const documented = Object.entries(document.paths).flatMap(([path, ops]) =>
      Object.keys(ops as object).map((method) => `${method.toUpperCase()} ${path}`),
    );
    const declared = Object.values(API_ROUTES).flatMap((routes) =>
      Object.values(routes).map((r) => `${r.method} ${r.path}`),
    );
    expect(documented.sort()).toEqual(declared.sort());
    expect(document.openapi).toBe('3.1.0');
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
    expect(Object.keys(create.responses).sort()).toEqual(['201', '400', '401', '413', '500']);
    expect(paths['/tasks/{id}'].delete.parameters[0]).toMatchObject({
      name: 'id',
      in: 'path',
      required: true,
    });
    expect(paths['/search'].get.security).toBeUndefined();
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
    expect(page.body).toContain("url: 'openapi.json'");
    expect(page.body).not.toMatch(/https?:\/\//);
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
