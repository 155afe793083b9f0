import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { COUNT_AWS_REQUESTS } from '../../functions/shared/request-counting.js';
import { FUNCTION_BUNDLE_METADATA } from '../../lib/bundles/registry.js';
import { synthTemplate } from '../../localstack/deploy.js';

/**
 * The local synth runs cdk.json's app itself, as the CDK CLI would (see
 * `synthesise` in localstack/deploy.ts): what it passes must reach the app.
 */
const outdir = mkdtempSync(path.join(tmpdir(), 'local-synth-'));
afterAll(() => rmSync(outdir, { recursive: true, force: true }));

type Template = {
  Resources: Record<
    string,
    {
      Type: string;
      Metadata?: Record<string, unknown>;
      Properties?: { Environment?: { Variables?: Record<string, unknown> } };
    }
  >;
};
const functions = (template: Template) =>
  Object.values(template.Resources).filter((resource) => resource.Type === 'AWS::Lambda::Function');
const bundles = (template: Template) =>
  functions(template).map((fn) => fn.Metadata?.[FUNCTION_BUNDLE_METADATA]);
/** Each function's COUNT_AWS_REQUESTS, undefined where it has none. */
const counting = (template: Template) =>
  functions(template).map((fn) => fn.Properties?.Environment?.Variables?.[COUNT_AWS_REQUESTS]);

describe('the local synth', () => {
  it('hands extra context to the app, and each synth replaces the last one in its folder', async () => {
    const endpoint = 'http://localhost:4566';
    const withBench = (await synthTemplate(endpoint, outdir, { bench: 'true' })) as Template;
    expect(bundles(withBench)).toContain('bench-noop');
    const plain = (await synthTemplate(endpoint, outdir)) as Template;
    expect(bundles(plain)).not.toContain('bench-noop');
    expect(bundles(plain)).toContain('downcase');
  });

  it('has functions count their AWS requests only with -c count=true, which the bench alone sets', async () => {
    const endpoint = 'http://localhost:4566';
    const bench = (await synthTemplate(endpoint, outdir, { bench: 'true' })) as Template;
    expect(counting(bench).filter((value) => value !== undefined)).toEqual([]);
    const counted = (await synthTemplate(endpoint, outdir, { bench: 'true', count: 'true' })) as Template;
    expect(counting(counted)).toEqual(functions(counted).map(() => 'true'));
  });
});
