import { APIGatewayClient, GetResourcesCommand } from '@aws-sdk/client-api-gateway';
import { describe, expect, it } from 'vitest';
import { documentedRoutes } from '../support/template-routes.js';
import { chromiumForTests } from './browser.js';
import { api, clientConfig, deployment, resources } from './support.js';

const apigateway = new APIGatewayClient(clientConfig);

/** `METHOD /path` of every method API Gateway has deployed. */
async function deployedRoutes(): Promise<string[]> {
  const routes: string[] = [];
  let position: string | undefined;
  do {
    const page = await apigateway.send(
      new GetResourcesCommand({ restApiId: resources.shared('apiId'), position, limit: 500 }),
    );
    for (const resource of page.items ?? []) {
      for (const method of Object.keys(resource.resourceMethods ?? {}))
        routes.push(`${method} ${resource.path}`);
    }
    position = page.position;
  } while (position);
  return routes.sort();
}

describe('GET /openapi.json', () => {
  it('documents every deployed route, and every documented route is deployed', async () => {
    const response = await api('openapi.json');
    expect(response.status).toBe(200);
    const documented = documentedRoutes(response.body).sort();
    expect(documented).toEqual(await deployedRoutes());
    expect(documented.length).toBeGreaterThanOrEqual(18);
  });
});

describe('GET /docs', () => {
  it('serves Swagger UI and its files from the stack itself', async () => {
    const page = await fetch(new URL('docs', deployment.apiBaseUrl));
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toContain('text/html');
    const html = await page.text();
    for (const file of [
      'docs/swagger-ui.css',
      'docs/swagger-ui-bundle.js',
      'docs/swagger-ui-standalone-preset.js',
    ]) {
      expect(html).toContain(file);
      const asset = await fetch(new URL(file, deployment.apiBaseUrl));
      expect(asset.status, file).toBe(200);
      expect((await asset.text()).length, file).toBeGreaterThan(10_000);
    }
  });
});

describe('GET /docs under a strict CSP', () => {
  it('sends the CSP, no framing, nosniff, no referrer and HSTS with the page and every file', async () => {
    const html = await (await fetch(new URL('docs', deployment.apiBaseUrl))).text();
    expect(html).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);
    expect(html).not.toMatch(/<style\b|\sstyle=/);
    const files = [...html.matchAll(/(?:src|href)="(docs\/[^"]+)"/g)].map((match) => match[1] as string);
    expect(files).toContain('docs/swagger-start.js');
    for (const file of ['docs', ...files]) {
      const response = await fetch(new URL(file, deployment.apiBaseUrl));
      expect(response.status, file).toBe(200);
      const policy = response.headers.get('content-security-policy') ?? '';
      expect(policy, file).toContain("default-src 'none'");
      expect(policy, file).toContain("script-src 'self'");
      expect(policy, file).toContain("frame-ancestors 'none'");
      expect(policy, file).not.toMatch(/unsafe-inline|unsafe-eval/);
      expect(response.headers.get('x-frame-options'), file).toBe('DENY');
      expect(response.headers.get('x-content-type-options'), file).toBe('nosniff');
      expect(response.headers.get('referrer-policy'), file).toBe('no-referrer');
      expect(response.headers.get('strict-transport-security'), file).toMatch(/^max-age=\d+/);
    }
  });
});

describe('Swagger UI in a browser', () => {
  const openPage = chromiumForTests();

  it('renders in headless Chromium under its CSP and lists every documented route', async () => {
    // It renders under the page's CSP: nothing blocked (openPage checks).
    const page = await openPage();
    await page.goto(new URL('docs', deployment.apiBaseUrl).toString());
    await page.waitForSelector('.opblock-summary-path');
    const shown = await page.$$eval('.opblock', (blocks) =>
      blocks.map((block) => {
        const method = block.querySelector('.opblock-summary-method')?.textContent?.trim() ?? '';
        const path = block.querySelector('.opblock-summary-path')?.getAttribute('data-path') ?? '';
        return `${method} ${path}`;
      }),
    );
    const document = (await api('openapi.json')).body as { paths: Record<string, object> };
    const documented = documentedRoutes(document);
    expect(shown.sort()).toEqual(documented.sort());
    expect(await page.title()).toBe('Microservices API');
  });
});
