import { describe, expect, it } from 'vitest';
import { consolePage } from '../../../functions/console/page.js';
import { handler as docs } from '../../../functions/docs/handler.js';
import { SWAGGER_ASSETS } from '../../../functions/docs/routes.js';
import { SWAGGER_PAGE } from '../../../functions/docs/ui.js';
import { browserHeaders } from '../../../functions/shared/http/browser-headers.js';
import { apiEvent, lambdaContext } from '../../support/api-events.js';

/** The directives of a Content-Security-Policy, by name. */
const directives = (policy: string) =>
  Object.fromEntries(
    policy.split(';').map((part) => {
      const [name = '', ...values] = part.trim().split(/\s+/);
      return [name, values];
    }),
  );

/** Inline script or style a page would need `'unsafe-inline'` for: elements, attributes, handlers, URLs. */
const INLINE = [
  /<script(?![^>]*\bsrc=)[^>]*>/i,
  /<style\b/i,
  /\sstyle\s*=/i,
  /\son[a-z]+\s*=/i,
  /javascript:/i,
];

describe('browser headers', () => {
  const headers = browserHeaders({ connectTo: ['wss://feed.example.com'] });
  const policy = directives(headers['content-security-policy'] ?? '');

  it('allow scripts and styles from the API itself only, never inline or eval', () => {
    expect(policy['default-src']).toEqual(["'none'"]);
    expect(policy['script-src']).toEqual(["'self'"]);
    expect(policy['style-src']).toEqual(["'self'"]);
    expect(headers['content-security-policy']).not.toMatch(/unsafe-inline|unsafe-eval|nonce-|sha256-/);
  });

  it('refuse framing, sniffing and referrers, and pin HTTPS', () => {
    expect(policy['frame-ancestors']).toEqual(["'none'"]);
    expect(headers['x-frame-options']).toBe('DENY');
    expect(headers['x-content-type-options']).toBe('nosniff');
    expect(headers['referrer-policy']).toBe('no-referrer');
    expect(headers['strict-transport-security']).toMatch(/^max-age=31536000\b/);
  });

  it('let a page connect to the API and to the origins it names, nowhere else', () => {
    expect(policy['connect-src']).toEqual(["'self'", 'wss://feed.example.com']);
    expect(directives(browserHeaders()['content-security-policy'] ?? '')['connect-src']).toEqual(["'self'"]);
  });
});

describe('pages that run under it', () => {
  const consoleHtml = consolePage({
    liveFeedApiId: 'abc',
    liveFeedStage: 'v1',
    liveFeedUrl: 'wss://x.example.com/v1?"><script>alert(1)</script>',
  });

  it.each([
    ['the console', consoleHtml],
    ['Swagger UI', SWAGGER_PAGE],
  ])('%s holds no inline script or style', (_, html) => {
    for (const pattern of INLINE) expect(html).not.toMatch(pattern);
  });

  it("the console's configuration is data in an attribute, which no value can break out of", () => {
    const content = /<meta name="console-config" content="([^"]*)">/.exec(consoleHtml)?.[1] ?? '';
    const decoded = content
      .replace(/&quot;/g, '"')
      .replace(/&lt;/g, '<')
      .replace(/&gt;/g, '>')
      .replace(/&amp;/g, '&');
    expect(JSON.parse(decoded).liveFeedUrl).toBe('wss://x.example.com/v1?"><script>alert(1)</script>');
  });
});

describe('GET /docs and its files', () => {
  const get = (resource: string, asset?: string) =>
    docs(
      apiEvent({ resource, path: resource, ...(asset ? { pathParameters: { asset } } : {}) }),
      lambdaContext,
    );

  it('send the browser headers with the page and with every file', async () => {
    const expected = browserHeaders();
    const page = await get('/docs');
    expect(page.statusCode).toBe(200);
    expect(page.headers).toMatchObject(expected);
    for (const asset of Object.keys(SWAGGER_ASSETS)) {
      const file = await get('/docs/{asset}', asset);
      expect(file.statusCode, asset).toBe(200);
      expect(file.headers, asset).toMatchObject({
        ...expected,
        'content-type': SWAGGER_ASSETS[asset as keyof typeof SWAGGER_ASSETS],
      });
    }
  });
});
